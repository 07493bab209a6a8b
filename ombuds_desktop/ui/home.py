"""The drafts home: every client's draft in the vault, with search, trash and family actions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ombuds_desktop import __version__
from ombuds_desktop.ui.dialogs import ask_passphrase, confirm, show_error
from ombuds_desktop.ui.drafts_model import DraftsModel
from ombuds_desktop.ui.operations import Operation

if TYPE_CHECKING:
    from ombuds_desktop.draft.model import Draft
    from ombuds_desktop.formdef import FormDefinition
    from ombuds_desktop.ui.app import AppState
    from ombuds_desktop.ui.draft_window import DraftWindow
    from ombuds_desktop.vault import Vault
    from ombuds_desktop.vault.records import PurgeReport

# The drafts, forms and vault layers are imported when first used, not at launch:
# the window shows first, then the vault is unlocked behind it.


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HomeWindow(QMainWindow):
    """Lists the vault's drafts; opens each in its own :class:`DraftWindow`."""

    lock_requested = Signal()

    WATCH_MS = 1500

    def __init__(self, app_state: AppState) -> None:
        super().__init__()
        self.state = app_state
        self.setWindowTitle("Ombuds Desktop")
        self.resize(1100, 680)
        self.windows: dict[str, DraftWindow] = {}
        self.showing_trash = False

        central = QWidget()
        layout = QVBoxLayout(central)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search clients, receipt numbers, forms…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search drafts")
        layout.addWidget(self.search)
        self.heading = QLabel()
        self.heading.setObjectName("hint")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        self.model = DraftsModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole + 1)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        for column in (2, 3, 4, 5, 6, 7):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        self.table.setColumnWidth(0, 230)
        self.table.setAccessibleName("Drafts")
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.empty)
        layout.addWidget(self.views, 1)
        self.setCentralWidget(central)

        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self._build_actions()
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.statusBar().showMessage("")
        # The CLI or another window may change the vault: a light poll of its change
        # counter (one PRAGMA, no decryption) refreshes the list when it moves.
        self._marker: int | None = None
        self._watch = QTimer(self, interval=self.WATCH_MS)
        self._watch.timeout.connect(self.refresh_if_changed)
        self._watch.start()
        self.refresh()

    # ------------------------------------------------------------------ setup

    def _build_actions(self) -> None:
        bar = QToolBar("Drafts")
        bar.setObjectName("draftsToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        menu_file = self.menuBar().addMenu("&Drafts")
        menu_vault = self.menuBar().addMenu("&Vault")
        menu_help = self.menuBar().addMenu("&Help")

        def act(
            text: str,
            slot,
            keys: str | QKeySequence.StandardKey | None = None,
            menu=menu_file,
            toolbar: bool = True,
            tip: str = "",
        ) -> QAction:
            a = QAction(text, self)
            if keys is not None:
                a.setShortcut(QKeySequence(keys))
            a.setToolTip(f"{tip or text} ({a.shortcut().toString()})" if keys else tip or text)
            a.triggered.connect(slot)
            menu.addAction(a)
            if toolbar:
                bar.addAction(a)
            return a

        self.act_new = act(
            "New", self.new_draft, QKeySequence.StandardKey.New, tip="Start a new DHS Form 7001"
        )
        self.act_open = act("Open", self.open_selected, QKeySequence.StandardKey.Open)
        self.act_duplicate = act(
            "Duplicate for a family member",
            self.duplicate_selected,
            "Ctrl+D",
            tip="A linked draft for another family member",
        )
        self.act_family = act(
            "Family group",
            self.show_family,
            "Ctrl+G",
            tip="This family's drafts side by side, and the linking e-mail",
        )
        self.act_delete = act(
            "Delete",
            self.delete_selected,
            QKeySequence.StandardKey.Delete,
            tip="Move the draft to the trash (it can be restored)",
        )
        self.act_trash = act(
            "Trash",
            self.toggle_trash,
            "Ctrl+T",
            tip="Show deleted drafts, to restore or purge them",
        )
        self.act_trash.setCheckable(True)
        self.act_restore = act(
            "Restore",
            self.restore_selected,
            "Ctrl+Shift+R",
            tip="Bring the draft back from the trash",
        )
        self.act_purge = act(
            "Purge for good",
            self.purge_selected,
            None,
            toolbar=False,
            tip="Erase the draft, its history and its files for good",
        )
        menu_file.addSeparator()
        bar.addSeparator()
        self.act_import = act("Import…", self.import_file, "Ctrl+I")
        self.act_export = act("Export…", self.export_selected, "Ctrl+E")

        def find() -> None:
            self.search.setFocus()
            self.search.selectAll()

        self.act_find = act("Find", find, QKeySequence.StandardKey.Find, toolbar=False)
        self.act_quit = act("Quit", self.close, QKeySequence.StandardKey.Quit, toolbar=False)
        self.act_settings = act("Settings…", self.open_settings, "Ctrl+,", menu=menu_vault)
        self.act_lock = act("Lock now", self.lock_requested.emit, "Ctrl+L", menu=menu_vault)
        self.act_status = act(
            "Vault status…", self.show_vault_status, None, menu=menu_vault, toolbar=False
        )
        self.act_official = act(
            "Import official form…",
            self.import_official_form,
            None,
            menu=menu_vault,
            toolbar=False,
            tip="Fill the official DHS Form 7001 PDF in packets (you check the mapping first)",
        )
        self.act_about = act(
            "About Ombuds Desktop", self.show_about, None, menu=menu_help, toolbar=False
        )
        self._update_actions()

    # ------------------------------------------------------------------ list

    @property
    def vault(self) -> Vault | None:
        return self.state.vault

    def refresh_if_changed(self) -> bool:
        """Refresh when another process committed to the vault since the last look."""
        if self.vault is None:
            self._marker = None
            return False
        try:
            marker = self.vault.change_marker()
        except Exception:  # locked or closing: the next tick tries again
            return False
        if marker == self._marker:
            return False
        self.refresh()
        return True

    def refresh(self) -> None:
        if self.vault is None:  # before unlocking, or while locked: no client data shown
            self.model.clear()
            self.heading.clear()
            self.empty.setText(
                "Unlocking your drafts…" if not self.state.locked else "Ombuds Desktop is locked."
            )
            self.views.setCurrentIndex(1)
            self._update_actions()
            return
        query = self.search.text().strip()
        shown = _shorten(query)  # a long search must not widen the window past the screen
        try:
            self._marker = self.vault.change_marker()  # this listing is as of that change
            rows = (
                self.vault.search(query, trash=self.showing_trash)
                if query
                else self.vault.list_drafts(trash=self.showing_trash)
            )
        except Exception as exc:
            show_error(self, "Could not list the drafts", exc)
            rows = []
        selected = self.selected_id()
        self.model.set_rows(rows)
        self.proxy.sort(self.proxy.sortColumn(), self.proxy.sortOrder())
        if selected:
            self.select(selected)
        where = "Trash" if self.showing_trash else "Drafts"
        self.heading.setText(f"{where}: {len(rows)} shown" + (f" for “{shown}”" if query else ""))
        if rows:
            self.views.setCurrentIndex(0)
        else:
            if query:
                text = (
                    f"No draft matches “{shown}”. Search looks at client names, receipt "
                    "numbers and form numbers."
                )
            elif self.showing_trash:
                text = "The trash is empty."
            else:
                text = (
                    "No drafts yet.\n\nClick “New” (Ctrl+N) to start a request for case "
                    "assistance, or “Import…” to bring in a draft file or archive."
                )
            self.empty.setText(text)
            self.views.setCurrentIndex(1)
        self._update_actions()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.proxy.data(rows[0], Qt.ItemDataRole.UserRole)

    def select(self, draft_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.proxy.data(index, Qt.ItemDataRole.UserRole) == draft_id:
                self.table.selectRow(row)
                return

    def _update_actions(self) -> None:
        has = self.selected_id() is not None
        live = not self.showing_trash
        for a in (
            self.act_new,
            self.act_import,
            self.act_trash,
            self.act_settings,
            self.act_status,
            self.act_lock,
        ):
            a.setEnabled(self.vault is not None)
        for a in (
            self.act_open,
            self.act_duplicate,
            self.act_delete,
            self.act_export,
            self.act_family,
        ):
            a.setEnabled(has and live)
        self.act_restore.setEnabled(has and not live)
        self.act_purge.setEnabled(has and not live)
        self.act_new.setEnabled(live and self.vault is not None)

    # ------------------------------------------------------------------ drafts

    def definition(self) -> FormDefinition:
        from ombuds_desktop.formdef import load_edition  # loaded on first use, not at launch

        return load_edition()

    def new_draft(self) -> None:
        from ombuds_desktop.draft.model import Draft
        from ombuds_desktop.draft.profiles import apply_profile

        definition = self.definition()
        draft = Draft(form=definition.key)
        profile = self.state.default_profile()
        if profile is not None:
            apply_profile(draft, profile)
        try:
            self.state.unlocked_vault().save_draft(draft)
        except Exception as exc:
            show_error(self, "Could not create the draft", exc)
            return
        self.refresh()
        self.open_draft(draft.id)

    def open_selected(self) -> None:
        draft_id = self.selected_id()
        if draft_id and not self.showing_trash:
            self.open_draft(draft_id)

    def open_draft(self, draft_id: str) -> DraftWindow | None:
        from ombuds_desktop.ui.draft_window import DraftWindow

        if draft_id in self.windows:
            window = self.windows[draft_id]
            window.raise_()
            window.activateWindow()
            return window
        from ombuds_desktop.formdef import load_form_key

        try:
            vault = self.state.unlocked_vault()
            draft = vault.load_draft(draft_id)
            definition = load_form_key(draft.form)
        except Exception as exc:
            show_error(self, "Could not open the draft", exc)
            return None
        window = DraftWindow(vault, draft, definition, self.state.settings, app_state=self.state)
        window.saved.connect(lambda _id: self.refresh())
        window.closed.connect(self._window_closed)
        window.open_requested.connect(self.open_draft)
        self.windows[draft_id] = window
        window.show()
        return window

    def _window_closed(self, draft_id: str) -> None:
        self.windows.pop(draft_id, None)
        self.refresh()

    def duplicate_selected(self) -> None:
        draft_id = self.selected_id()
        if not draft_id:
            return
        if draft_id in self.windows:
            self.windows[draft_id].save_now()
        try:
            from ombuds_desktop.formdef import load_form_key

            source = self.state.unlocked_vault().load_draft(draft_id)
            shared = load_form_key(source.form).family_shared_fields()
            twin = self.state.unlocked_vault().duplicate_for_family(draft_id, shared)
        except Exception as exc:
            show_error(self, "Could not duplicate the draft", exc)
            return
        self.refresh()
        self.open_draft(twin.id)

    def delete_selected(self) -> None:
        draft_id = self.selected_id()
        if not draft_id:
            return
        summary = self.state.unlocked_vault().summary(draft_id)
        if not confirm(
            self,
            "Move to the trash?",
            f"Move the draft for {summary.client or 'this client'} to the trash? "
            "You can restore it from the trash until you purge it.",
            yes="Move to trash",
        ):
            return
        window = self.windows.pop(draft_id, None)
        if window is not None:
            window.save_now()
            window.close()
        try:
            self.state.unlocked_vault().delete_draft(draft_id)
        except Exception as exc:
            show_error(self, "Could not delete the draft", exc)
        self.refresh()

    def toggle_trash(self) -> None:
        self.showing_trash = self.act_trash.isChecked()
        self.refresh()

    def restore_selected(self) -> None:
        draft_id = self.selected_id()
        if draft_id:
            try:
                self.state.unlocked_vault().restore_draft(draft_id)
            except Exception as exc:
                show_error(self, "Could not restore the draft", exc)
            self.refresh()

    def purge_selected(self) -> None:
        draft_id = self.selected_id()
        if not draft_id or not confirm(
            self,
            "Purge for good?",
            "Erase this draft, all its earlier revisions and its attached files from this "
            "computer's vault for good? This cannot be undone. Backups made before now "
            "still contain it.",
            yes="Purge for good",
        ):
            return
        self.purge(draft_id)

    def purge(self, draft_id: str) -> Operation:
        """Purge off the UI thread, with a busy indicator.

        The deletion commits at once; wiping the journal waits for any other
        program holding a read snapshot of the vault.  The window must never
        freeze on that (it used to, ~20 s), so the core only waits briefly and
        the user is told truthfully what is left to do.
        """
        vault = self.state.unlocked_vault()

        def work(_progress, _token):
            return vault.purge_draft(draft_id, wait_for_readers=False)

        def done(report: PurgeReport) -> None:
            self.refresh()
            self.statusBar().showMessage(
                f"Purged the draft and {report.attachments_removed} attached file(s).", 8000
            )
            if not report.wal_truncated:
                box = QMessageBox(
                    QMessageBox.Icon.Information,
                    "Purged; one clean-up step is left",
                    "Purged the draft: it is gone from the vault and cannot be opened again. "
                    "Because another program is reading the vault right now (another "
                    "Ombuds Desktop window or the command line), the vault's journal file "
                    "still holds its old encrypted pages. They are wiped when you lock or "
                    "close Ombuds Desktop, or at your next purge, once that program is "
                    "closed. Nothing else needs doing.",
                    QMessageBox.StandardButton.Ok,
                    self,
                )
                box.setObjectName("purgeJournalNote")
                box.setTextFormat(Qt.TextFormat.PlainText)
                box.exec()

        def failed(exc: Exception) -> None:
            self.refresh()
            show_error(self, "Could not purge the draft", exc)

        operation = (
            Operation(self, work)
            .success(done)
            .failure(failed)
            .cancelled(self.refresh)  # a purge cannot be stopped half-way: it finishes
            .run("Purging the draft…")
        )
        if operation.dialog is not None:
            operation.dialog.setCancelButton(None)  # nothing to cancel: the purge is one step
        return operation

    def show_family(self) -> None:
        from ombuds_desktop.ui.family import FamilyDialog

        draft_id = self.selected_id()
        if not draft_id:
            return
        summary = self.state.unlocked_vault().summary(draft_id)
        if not summary.family_group:
            QMessageBox.information(
                self,
                "No family group",
                "This draft is not linked to a family group. Use “Duplicate for a family "
                "member” to start a linked draft for another family member.",
            )
            return
        FamilyDialog(self, self.state, summary.family_group).exec()

    # ------------------------------------------------------------------ files

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import a draft",
            self.state.output_folder(),
            "Drafts and archives (*.json *.ombuds);;Draft JSON (*.json);;"
            "Ombuds Desktop archive (*.ombuds)",
        )
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> Operation | None:
        from ombuds_desktop.draft import DraftFormatError, read_draft_file

        vault = self.state.unlocked_vault()
        if path.suffix.lower() == ".json":
            try:
                draft = read_draft_file(path)
            except DraftFormatError as exc:
                show_error(self, "This file cannot be imported", str(exc))
                return None

            allow = self._allowed_folders(draft, path)
            if allow is None:
                return None

            def work(progress, _t):
                from ombuds_desktop.validation.status import prepare_import

                stored = prepare_import(draft)  # forced answers and status: not storage's
                return [
                    vault.import_draft(stored, path.parent, allow_from=allow, progress=progress)
                ]
        else:
            passphrase = ask_passphrase(
                self, "Archive passphrase", f"Type the passphrase that protects {path.name}."
            )
            if passphrase is None:
                return None

            def work(progress, _t):
                return vault.import_archive(path, passphrase, progress=progress)

        def done(drafts: list[Draft]) -> None:
            self.refresh()
            if drafts:
                self.select(drafts[0].id)
            self.statusBar().showMessage(f"Imported {len(drafts)} draft(s).", 8000)

        return (
            Operation(self, work)
            .success(done)
            .failure(lambda exc: show_error(self, "The import failed; nothing was changed", exc))
            .run("Importing and encrypting…")
        )

    def _allowed_folders(self, draft: Draft, path: Path) -> list[str] | None:
        """The folders outside the draft file's own that the user trusts (None: cancelled).

        A draft file from someone else is untrusted: attachment files outside its
        folder are read only after the user saw them listed and said so.  Files
        that are never read (missing, devices, pipes, too large) are refused here.
        """
        from ombuds_desktop.draft.files import check_attachment_paths, describe

        problems = check_attachment_paths(draft, path.parent)
        refused = [p for p in problems if not p.allowable]
        if refused:
            show_error(
                self, "This file cannot be imported", f"{describe(refused)}. Nothing was imported."
            )
            return None
        if not problems:
            return []
        listing = "\n".join(f"• {p.path}   (in {p.folder})" for p in problems)
        if not confirm(
            self,
            "Files outside the draft's folder",
            f"{path.name} names {len(problems)} attachment file(s) outside its own folder:"
            f"\n\n{listing}\n\nImport them only if you trust whoever gave you this draft "
            "file: they will be read and encrypted into the vault.",
            yes="Import with these files",
            no="Cancel",
        ):
            self.statusBar().showMessage("Nothing was imported.", 8000)
            return None
        return sorted({p.folder for p in problems})

    def export_selected(self) -> None:
        from ombuds_desktop.ui.export_dialog import export_drafts

        draft_id = self.selected_id()
        if draft_id:
            export_drafts(self, self.state, draft_id)

    # ------------------------------------------------------------------ vault

    def open_settings(self) -> None:
        from ombuds_desktop.ui.settings import SettingsDialog

        SettingsDialog(self, self.state).exec()

    def import_official_form(self) -> None:
        from ombuds_desktop.ui.official_import import import_official_form

        import_official_form(self, self.definition(), self.state.data_dir)

    def show_vault_status(self) -> None:
        try:
            info = self.state.unlocked_vault().status()
        except Exception as exc:
            show_error(self, "Vault status", exc)
            return
        QMessageBox.information(self, "Vault status", self.state.describe_status(info))

    def show_about(self) -> None:
        from datetime import date

        from ombuds_desktop.dates import format_us

        definition = self.definition()
        expired = definition.is_expired(date.today())
        text = (
            f"Ombuds Desktop {__version__}\n\n"
            f"Form: {definition.number}, {definition.title}\n"
            f"Edition: {definition.edition_label or definition.edition}; OMB No. "
            f"{definition.omb}; expires {format_us(definition.expires)}.\n"
        )
        if expired:
            text += (
                "\n⚠ This edition's expiration date has passed. Check dhs.gov for a newer "
                "edition of DHS Form 7001 before filing.\n"
            )
        text += (
            "\nSome section layouts and the consent wording are reconstructed by Ombuds "
            "Desktop from the CIS Ombudsman's official pages; check them against the "
            "official form.\n\nYour drafts stay on this computer, encrypted."
        )
        QMessageBox.about(self, "About Ombuds Desktop", text)

    # ------------------------------------------------------------------ lock / close

    def show_locked(self) -> None:
        """Empty this window to "locked" (the vault is closed): it stays up, showing nothing
        of any client, until the lock screen is on screen."""
        self._search_timer.stop()
        self.model.clear()
        blocked = self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(blocked)
        self.statusBar().clearMessage()
        self.refresh()

    def close_all_drafts(self) -> bool:
        for draft_id, window in list(self.windows.items()):
            window.save_now()
            window.close()
            self.windows.pop(draft_id, None)
        return not self.windows

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._search_timer.stop()
        Operation.stop_for(None)  # an import or export still running stops cleanly first
        self.close_all_drafts()
        self.state.save_geometry(self)
        super().closeEvent(event)
