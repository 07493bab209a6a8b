"""The Form 7001 wizard: a navigator of sections, one generated page per section,
live validation, autosave to the vault, and the review-and-build page.
"""

from __future__ import annotations

import time
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ombuds_desktop.dates import format_us
from ombuds_desktop.draft import facts
from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef.conditions import field_shown, is_filled, section_shown
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.ui.attachments import AttachmentsEditor
from ombuds_desktop.ui.dialogs import confirm, show_error
from ombuds_desktop.ui.lazy_pages import LazyPages
from ombuds_desktop.ui.reveal import Reveal
from ombuds_desktop.ui.review import ReviewPage
from ombuds_desktop.ui.section_page import SectionPage
from ombuds_desktop.validation import (
    Finding,
    has_errors,
    screen,
    unacknowledged_warnings,
    validate_draft,
)
from ombuds_desktop.validation.family import vault_family

if TYPE_CHECKING:
    from ombuds_desktop.official.target import OfficialTarget
    from ombuds_desktop.packet import PacketResult
    from ombuds_desktop.ui.app import AppState, Settings
    from ombuds_desktop.ui.preview import PreviewWindow
    from ombuds_desktop.vault import Vault
from ombuds_desktop.validation.screener import OUTCOME_TEXT

STATE_TEXT = {
    "not-started": ("○", "Not started"),
    "in-progress": ("◐", "In progress"),
    "complete": ("✓", "Complete"),
    "warnings": ("⚠", "Warnings"),
    "errors": ("✖", "Errors"),
    "not-needed": ("–", "Not needed"),
    "nothing-to-answer": ("–", "Nothing to answer"),
    "review": ("»", ""),
}

REVIEW_ID = "__review__"


def _local_time(iso: str) -> str:
    """ "10:42" from the record's UTC time stamp (the user's clock, as on the screen)."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return "earlier"
    return moment.astimezone().strftime("%H:%M")


def _editable(section, values) -> list:
    return [
        f
        for f in section.fields
        if not f.mirror and f.type != "signature" and field_shown(f, values)
    ]


def _answered(f, draft: Draft) -> bool:
    if f.type == "attachments":
        return bool(draft.attachments)
    return is_filled(draft.values.get(f.id))


def section_counts(definition: FormDefinition, section_id: str, draft: Draft) -> tuple[int, int]:
    """(answered, total) over the questions this section asks now."""
    editable = _editable(definition.section(section_id), draft.values)
    return sum(1 for f in editable if _answered(f, draft)), len(editable)


def section_state(
    definition: FormDefinition,
    section_id: str,
    draft: Draft,
    findings: list[Finding],
    shown: list[Finding] | None = None,
) -> str:
    """The navigator's word for a section.  ``shown`` are the findings the user sees
    now (see :mod:`ombuds_desktop.ui.reveal`); errors not shown yet make a section
    "In progress", never "Complete"."""
    section = definition.section(section_id)
    if not section_shown(section, draft.values):
        return "not-needed"
    mine = [f for f in findings if f.section == section_id]
    visible = mine if shown is None else [f for f in shown if f.section == section_id]
    editable = _editable(section, draft.values)
    if not editable:
        # Nothing to ask yet: "Nothing to answer" once the questions it depends on
        # are answered (Section 1A after "No" in Section 1), else "Not started".
        decided = all(
            is_filled(draft.values.get(ref))
            for f in section.fields
            for ref in (f.shown_if.field_refs() if f.shown_if else ())
            if not ref.startswith(".")
        )
        if not decided:
            return "not-started"
        if any(f.severity == "error" for f in visible):
            return "errors"
        return "nothing-to-answer"
    touched = any(_answered(f, draft) for f in editable)
    if not touched and not any(f.severity == "error" for f in visible):
        return "not-started"
    if any(f.severity == "error" for f in visible):
        return "errors"
    if any(f.severity == "error" for f in mine):
        return "in-progress"
    if any(f.severity == "warning" for f in visible):
        return "warnings"
    return "complete"


class DraftWindow(QMainWindow):
    """Edits one draft.  Every change reaches the vault within about a second."""

    saved = Signal(str)
    closed = Signal(str)
    open_requested = Signal(str)  # a draft id to open (the correction copy)

    VALIDATE_MS = 250
    SAVE_MS = 800
    #: While there are unsaved edits, an encrypted recovery copy is written this often,
    #: however steadily the user types (autosave waits for a pause).
    RECOVERY_MS = 1000

    def __init__(
        self,
        vault: Vault,
        draft: Draft,
        definition: FormDefinition,
        settings: Settings | None = None,
        parent: QWidget | None = None,
        app_state: AppState | None = None,
    ) -> None:
        super().__init__(parent)
        self.app_state = app_state
        self.vault = vault
        self.draft = draft
        self.definition = definition
        self.settings = settings
        self.findings: list[Finding] = []
        self.dirty = False
        self.last_validation_ms = 0.0
        self.revision = vault.current_revision(draft.id) if vault is not None else None
        self.related: list[Draft] = []
        self._recovery_written = False
        self._told_paused = False  # "saving is paused" (a rolled-back vault) is said once
        self.recovered_from = self._take_recovery()
        self.reveal = Reveal(definition)
        self.reveal.start(draft.values, attachments=bool(draft.attachments))
        self._opening = True
        self.setWindowTitle("Ombuds Desktop — draft")
        self.setObjectName("draft")
        self.resize(1180, 820)
        if app_state is not None:
            app_state.restore_geometry(self)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel()
        self.banner.setObjectName("deadlineBanner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("USCIS deadline reminder")
        outer.addWidget(self.banner)
        self.recovery_notice = QLabel()
        self.recovery_notice.setObjectName("recoveryNotice")
        self.recovery_notice.setWordWrap(True)
        self.recovery_notice.setAccessibleName("Recovered typing")
        self.recovery_notice.setVisible(False)
        outer.addWidget(self.recovery_notice)
        self.submitted_box = QWidget()
        self.submitted_box.setObjectName("submittedNotice")
        box = QHBoxLayout(self.submitted_box)
        box.setContentsMargins(10, 6, 10, 6)
        self.submitted_notice = QLabel()
        self.submitted_notice.setWordWrap(True)
        self.submitted_notice.setObjectName("outcome")
        self.submitted_notice.setProperty("severity", "info")
        self.submitted_notice.setAccessibleName("Submitted: read-only")
        box.addWidget(self.submitted_notice, 1)
        self.correction_button = QPushButton("Make a correction copy…")
        self.correction_button.setToolTip(
            "A new, editable draft with the same answers and documents (Ctrl+Shift+C)"
        )
        self.correction_button.clicked.connect(self.make_correction_copy)
        box.addWidget(self.correction_button)
        self.submitted_box.hide()
        outer.addWidget(self.submitted_box)

        split = QSplitter()
        self.nav = QListWidget()
        self.nav.setAccessibleName("Sections of the form")
        self.nav.setObjectName("sectionNav")
        self.nav.setWordWrap(True)
        self.nav.setMinimumWidth(280)
        self.nav.setMaximumWidth(360)
        self.stack = QStackedWidget()
        split.addWidget(self.nav)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        outer.addWidget(split, 1)

        bar = QHBoxLayout()
        bar.setContentsMargins(10, 6, 10, 8)
        self.save_state = QLabel("")
        self.save_state.setObjectName("hint")
        self.save_state.setAccessibleName("Save status")
        bar.addWidget(self.save_state, 1)
        self.back_button = QPushButton("◀ Back")
        self.back_button.setToolTip("Previous section (Alt+Left)")
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("Next section (Alt+Right)")
        self.back_button.setAccessibleName("Previous section")
        self.next_button.setAccessibleName("Next section")
        self.back_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        bar.addWidget(self.back_button)
        bar.addWidget(self.next_button)
        outer.addLayout(bar)
        self.setCentralWidget(central)

        # Section pages are built when first shown (or asked for), not all at opening.
        self.pages = LazyPages(self._make_page, self._page_ready)
        self.page_ids: list[str] = []
        self._attachments: AttachmentsEditor | None = None
        self._budget = float(getattr(settings, "email_budget_mb", 10.0) or 10.0)
        for section in definition.sections:
            self._add_page(section.id, None)
        self.review = ReviewPage(self)
        self.review.jump.connect(self.jump_to)
        self.review.build_button.clicked.connect(self.build_packet)
        self.review.signature_button.clicked.connect(self.print_signature_page)
        self.preview: PreviewWindow | None = None
        self.last_packet: PacketResult | None = None
        self._add_page(REVIEW_ID, self.review)
        self.nav.currentRowChanged.connect(self._nav_changed)

        self._validate_timer = QTimer(self, singleShot=True, interval=self.VALIDATE_MS)
        self._validate_timer.timeout.connect(self.revalidate)
        self._save_timer = QTimer(self, singleShot=True, interval=self.SAVE_MS)
        self._save_timer.timeout.connect(self.save_now)
        self._recovery_timer = QTimer(self, singleShot=True, interval=self.RECOVERY_MS)
        self._recovery_timer.timeout.connect(self.write_recovery)
        self._build_actions()

        self.load_related()
        self.revalidate()
        start = draft.last_section if draft.last_section in self.page_ids else self.page_ids[0]
        self.nav.setCurrentRow(self.page_ids.index(start))
        self._opening = False
        self._update_title()
        if self.recovered_from is not None:
            self.recovery_notice.setText(
                f"Recovered unsaved typing from {self.recovered_from}. Ombuds Desktop closed "
                "before it was saved; check the last answers you typed."
            )
            self.recovery_notice.setVisible(True)
            # Saved as a real revision once the opener has connected ``saved`` (the drafts
            # list then shows it); closing first saves it too (the window is dirty).
            QTimer.singleShot(0, self, self.save_now)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self._apply_read_only()

    # ------------------------------------------------------------------ construction

    def _make_page(self, index: int) -> SectionPage:
        """Build section page ``index`` in the place of its stand-in in the stack."""
        section = self.definition.section(self.page_ids[index])
        page = SectionPage(
            self.definition, section, special={"attachments": self._make_attachments}
        )
        page.changed.connect(self._changed)
        stand_in = self.stack.widget(index)
        showing = self.stack.currentIndex() == index
        self.stack.insertWidget(index, page)
        if showing:
            self.stack.setCurrentIndex(index)
        if stand_in is not None:
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
        return page

    def _page_ready(self, index: int, page: QWidget) -> None:
        """A page built just now shows the draft as it is: answers, findings, read-only."""
        if not isinstance(page, SectionPage):
            return
        page.load(self.draft)
        if page.special and self._attachments is not None:
            self._attachments.load(self.draft)
        page.show_findings(self.shown_findings())
        self._lock_page(page, self.read_only or self.paused)
        if self.page_ids[index] == "app":
            self._update_outcome()

    def _current_page(self) -> QWidget | None:
        """The page shown now, if built (a stand-in is shown only while the window opens)."""
        return self.pages.built_at(self.stack.currentIndex())

    @property
    def attachments(self) -> AttachmentsEditor | None:
        """The evidence editor; its page is built the first time it is asked for."""
        if self._attachments is None:
            for i, pid in enumerate(self.page_ids):
                if pid != REVIEW_ID and any(
                    f.type == "attachments" for f in self.definition.section(pid).fields
                ):
                    self.pages[i]
                    break
        return self._attachments

    def _make_attachments(self, field) -> AttachmentsEditor:
        self._attachments = AttachmentsEditor(self.definition, field, self.vault, self._budget)
        self._attachments.changed.connect(self._changed)
        self._attachments.removed.connect(self._forget_attachment)
        return self._attachments

    def _forget_attachment(self, attachment_id: str) -> None:
        """A removed document leaves no password or leave-out choice behind in the builder."""
        builder = getattr(self, "builder", None)
        if builder is not None:
            builder.skip.discard(attachment_id)
            builder.passwords.pop(attachment_id, None)

    def _add_page(self, page_id: str, page: QWidget | None) -> None:
        """``page`` None: a section page, built when first needed (a stand-in until then)."""
        self.pages.add(page)
        self.page_ids.append(page_id)
        self.stack.addWidget(page if page is not None else QWidget())
        item = QListWidgetItem()
        self.nav.addItem(item)

    def _build_actions(self) -> None:
        def action(text: str, keys: list[QKeySequence | str], slot) -> QAction:
            a = QAction(text, self)
            a.setShortcuts([QKeySequence(k) for k in keys])
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        self.act_back = action("Previous section", ["Alt+Left", "Ctrl+PgUp"], lambda: self.step(-1))
        self.act_next = action("Next section", ["Alt+Right", "Ctrl+PgDown"], lambda: self.step(1))
        self.act_help = action("Help for this question", ["F1"], self.help_for_focus)
        self.act_save = action("Save now", ["Ctrl+S"], self.save_now)
        self.act_close = action("Close draft", ["Ctrl+W"], self.close)
        self.act_review = action(
            "Review and build", ["Ctrl+R"], lambda: self.nav.setCurrentRow(len(self.pages) - 1)
        )
        self.act_build = action("Build packet", ["Ctrl+B"], self.build_packet)
        self.act_signature = action(
            "Print the signature page", ["Ctrl+Shift+P"], self.print_signature_page
        )
        self.act_correction = action(
            "Make a correction copy", ["Ctrl+Shift+C"], self.make_correction_copy
        )
        self._build_menus()

    def _build_menus(self) -> None:
        """A menu bar lists every action and its shortcut, and reaches every page."""
        bar = self.menuBar()
        draft_menu = bar.addMenu("&Draft")
        for a in (
            self.act_save,
            self.act_build,
            self.act_signature,
            self.act_correction,
            self.act_close,
        ):
            draft_menu.addAction(a)
        go = bar.addMenu("&Go")
        go.addAction(self.act_back)
        go.addAction(self.act_next)
        go.addAction(self.act_review)
        go.addSeparator()
        self.section_actions: list[QAction] = []
        for i, pid in enumerate(self.page_ids):
            if pid == REVIEW_ID:
                continue
            section = self.definition.section(pid)
            name = "Before you file" if pid == "app" else section.heading
            a = QAction(name.replace("&", "&&"), self)
            a.triggered.connect(lambda _=False, row=i: self.nav.setCurrentRow(row))
            go.addAction(a)
            self.section_actions.append(a)
        go.aboutToShow.connect(self._update_go_menu)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_help)

    def _update_go_menu(self) -> None:
        visible = set(self._visible_rows())
        rows = [i for i, pid in enumerate(self.page_ids) if pid != REVIEW_ID]
        for a, row in zip(self.section_actions, rows, strict=True):
            a.setEnabled(row in visible)

    # ------------------------------------------------------------------ navigation

    @property
    def current_id(self) -> str:
        return self.page_ids[self.stack.currentIndex()]

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        previous = self.stack.currentIndex()
        if previous != row:
            if not self._opening and 0 <= previous < len(self.page_ids):
                self.reveal.leave_section(self.page_ids[previous])
            if self.pages[row] is self.review:
                self.reveal.everything()
            self._collect()
            self.load_related()
            self.revalidate()
        self.stack.setCurrentIndex(row)
        page = self.pages[row]
        if isinstance(page, SectionPage):
            page.update_state(self.draft.values)
            page.show_findings(self.shown_findings())
        if page is self.review:
            self.review.refresh()
        page_id = self.page_ids[row]
        if page_id != REVIEW_ID and self.draft.last_section != page_id:
            self.draft.last_section = page_id
            self._schedule_save()
        self.back_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(self.pages) - 1)

    def _visible_rows(self) -> list[int]:
        return [
            i
            for i, pid in enumerate(self.page_ids)
            if pid == REVIEW_ID or section_shown(self.definition.section(pid), self.draft.values)
        ]

    def step(self, delta: int) -> None:
        rows = self._visible_rows()
        here = self.stack.currentIndex()
        later = [r for r in rows if (r > here if delta > 0 else r < here)]
        if not later:
            return
        target = later[0] if delta > 0 else later[-1]
        if delta > 0 and self.current_id != REVIEW_ID:
            self._collect()
            self.revalidate()
            errors = [
                f for f in self.findings if f.section == self.current_id and f.severity == "error"
            ]
            if errors and self.reveal.leave_section(self.current_id):
                self._show_current_findings()  # the user sees what "Stay here" is about
            if errors and not confirm(
                self,
                "This section has problems",
                f"{self.definition.section(self.current_id).heading} has {len(errors)} "
                f"error(s). Continue to the next section anyway? It will be marked "
                "incomplete, and your answers are saved either way.",
                yes="Continue",
                no="Stay here",
            ):
                return
        self.nav.setCurrentRow(target)

    def jump_to(self, section_id: str, field_path: str | None) -> None:
        if section_id not in self.page_ids:
            return
        self.nav.setCurrentRow(self.page_ids.index(section_id))
        page = self.pages[self.page_ids.index(section_id)]
        if field_path and isinstance(page, SectionPage):
            page.focus_path(field_path)

    def help_for_focus(self) -> None:
        from ombuds_desktop.ui.field_row import FieldRow

        widget: QWidget | None = self.focusWidget()
        while widget is not None and not isinstance(widget, FieldRow):
            widget = widget.parentWidget()
        if widget is not None:
            widget.show_help()

    # ------------------------------------------------------------------ editing

    def _collect(self) -> None:
        page = self._current_page()
        if isinstance(page, SectionPage):
            page.collect(self.draft.values)
        self._apply_forced_answers()

    def _apply_forced_answers(self) -> None:
        """Set the answers the rules fix (R21: mail only) and show them on their pages."""
        changed = {
            k: v
            for k, v in facts.forced_answers(self.draft).items()
            if self.draft.values.get(k) != v
        }
        self.draft.values.update(changed)
        for field_id in changed:
            section = self.definition.section_of(field_id)
            # A page not built yet shows the draft's answers when it is.
            page = (
                self.pages.built_at(self.page_ids.index(section))
                if section in self.page_ids
                else None
            )
            if isinstance(page, SectionPage):
                page.load(self.draft)

    def _changed(self) -> None:
        self._collect()
        self.dirty = True
        self.save_state.setText("Unsaved changes…")
        page = self._current_page()
        if isinstance(page, SectionPage):
            page.update_state(self.draft.values)
        self._validate_timer.start()
        self._schedule_save()

    def _schedule_save(self) -> None:
        self.dirty = True
        self._save_timer.start()
        if not self._recovery_timer.isActive():  # not restarted by each key: at most 1 s old
            self._recovery_timer.start()

    # ------------------------------------------------------------------ crash recovery

    def write_recovery(self) -> None:
        """Seal what is typed so far into the vault's recovery record (not a revision)."""
        if not self.dirty or self.vault is None:
            return
        self._collect()
        try:
            self.vault.save_recovery(self.draft, self.revision)
        except Exception:  # autosave reports problems; the recovery copy is a safety net only
            return
        self._recovery_written = True

    def _take_recovery(self) -> str | None:
        """Merge typing a crash kept from the vault; returns its local time ("10:42") or None."""
        if self.vault is None:
            return None
        try:
            found = self.vault.load_recovery(self.draft.id)
        except Exception:
            return None
        if found is None:
            return None
        if self.read_only:  # a submitted request stays as it was sent
            self._discard_recovery()
            return None
        from ombuds_desktop.draft.interchange import draft_to_dict

        if draft_to_dict(found.draft) == draft_to_dict(self.draft):
            self._discard_recovery()
            return None
        when = _local_time(found.written)
        if found.base_revision != self.revision and not confirm(
            self,
            "Unsaved typing was found",
            f"Typing from {when} was not saved before Ombuds Desktop closed, and this "
            "draft was saved elsewhere since (another window or the command line). Use "
            "the recovered typing? The other version stays in the draft's history.",
            yes="Use the recovered typing",
            no="Keep the saved version",
        ):
            self._discard_recovery()
            return None
        recovered = found.draft
        recovered.attachments = [a for a in recovered.attachments if self._stored(a)]
        self.draft = recovered
        self.dirty = True
        self._recovery_written = True
        return when

    def _stored(self, attachment) -> bool:
        from ombuds_desktop.vault import blob_id_of

        blob = blob_id_of(attachment)
        if blob is None:
            return True
        try:
            self.vault.attachment_info(blob)
        except Exception:
            return False
        return True

    def _discard_recovery(self) -> None:
        timer = getattr(self, "_recovery_timer", None)  # None while the window is being built
        if timer is not None:
            timer.stop()
        try:
            self.vault.discard_recovery(self.draft.id)
        except Exception:
            return
        self._recovery_written = False

    def revalidate(self) -> None:
        started = time.perf_counter()
        self.findings = validate_draft(
            self.draft,
            self.definition,
            today=date.today(),
            related=self.related,
            official=self.official_target(),
        )
        self.last_validation_ms = (time.perf_counter() - started) * 1000
        page = self._current_page()
        if isinstance(page, SectionPage):
            page.show_findings(self.shown_findings())
        self._update_nav()
        self._update_banner()
        self._update_outcome()
        if page is self.review:
            self.review.refresh()

    def official_target(self) -> OfficialTarget | None:
        """The official form this draft's packet fills (None: typeset), from the vault's
        data folder, as the packet finds it (kept while the files are unchanged)."""
        from ombuds_desktop.official.target import packet_target

        return packet_target(self.definition, getattr(self.vault, "data_dir", None))

    def shown_findings(self) -> list[Finding]:
        """The findings shown under the fields now (all of them are on the Review page)."""
        return self.reveal.shown(self.findings, self.draft.values)

    def _show_current_findings(self) -> None:
        page = self._current_page()
        if isinstance(page, SectionPage):
            page.show_findings(self.shown_findings())
        self._update_nav()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Leaving a field lets its "needs an answer" show (moving inside it does not)."""
        from ombuds_desktop.ui.field_row import FieldRow

        if old is None or new is None or not self.isAncestorOf(old):
            return
        row: QWidget | None = old
        while row is not None and not isinstance(row, FieldRow):
            row = row.parentWidget()
        if row is None or row.isAncestorOf(new):
            return
        if self.reveal.leave_field(row.path):
            self._show_current_findings()

    def load_related(self) -> None:
        """The family's other drafts, for the cross-draft rules (R23–R25).

        Loaded when the window opens and on each change of section, not on every
        keystroke: decrypting a family's drafts does not belong on the typing path.
        """
        self.related = self._family_drafts()

    def _family_drafts(self) -> list[Draft]:
        if self.vault is None:
            return []
        try:
            return vault_family(self.vault, self.draft)
        except Exception:  # family context is advisory; never block editing on it
            return []

    def _nav_detail(self, pid: str, state: str, words: str, shown: list[Finding]) -> str:
        """The state in words with counts: "Errors: 2 · 3 of 5 answered"."""
        if state in ("not-needed", "nothing-to-answer"):
            return words
        answered, total = section_counts(self.definition, pid, self.draft)
        parts = [words]
        if state in ("errors", "warnings"):
            errors = sum(1 for f in shown if f.section == pid and f.severity == "error")
            warnings = sum(1 for f in shown if f.section == pid and f.severity == "warning")
            counts = [f"Errors: {errors}"] if errors else []
            counts += [f"Warnings: {warnings}"] if warnings else []
            parts = counts or [words]
        if total:
            parts.append(f"{answered} of {total} answered")
        return " · ".join(parts)

    def _update_nav(self) -> None:
        shown = self.shown_findings()
        for i, pid in enumerate(self.page_ids):
            item = self.nav.item(i)
            if pid == REVIEW_ID and self.read_only:
                item.setText("»  Review and build\n     submitted (read-only)")
                continue
            if pid == REVIEW_ID:
                errors = sum(1 for f in self.findings if f.severity == "error")
                unread = len(unacknowledged_warnings(self.findings, self.draft))
                if errors:
                    words = f"{errors} to answer or fix"
                elif unread:
                    words = f"{unread} warning(s) to read and tick"
                else:
                    words = "ready"
                item.setText(f"»  Review and build\n     {words}")
                continue
            section = self.definition.section(pid)
            state = section_state(self.definition, pid, self.draft, self.findings, shown)
            icon, words = STATE_TEXT[state]
            name = section.heading if pid != "app" else "Before you file"
            words = self._nav_detail(pid, state, words, shown)
            item.setText(f"{icon}  {name}\n     {words}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}: {words}")
            item.setData(Qt.ItemDataRole.UserRole, state)
            hidden = state == "not-needed"
            flags = item.flags()
            item.setFlags(
                flags & ~Qt.ItemFlag.ItemIsEnabled if hidden else flags | Qt.ItemFlag.ItemIsEnabled
            )

    def _update_banner(self) -> None:
        due = facts.deadline_dates(self.draft)
        note = self.definition.notes.get("deadline_note", "")
        upcoming = [d for d in due if d >= date.today()]
        if upcoming:
            self.banner.setText(f"⚠ USCIS deadline: {format_us(upcoming[0])}. {note}")
        else:
            self.banner.setText(f"ℹ {note}")
        self.banner.setProperty("severity", "warning" if upcoming else "info")
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)

    def screener(self):
        return screen(self.findings)

    def _update_outcome(self) -> None:
        if "app" not in self.page_ids:
            return
        result = self.screener()
        reasons = "".join(f"\n• {f.message}" for f in result.reasons)
        severity = {"proceed": "info", "caution": "warning", "not-screened-yet": "info"}.get(
            result.outcome, "error"
        )
        page = self.pages.built_at(self.page_ids.index("app"))
        if not isinstance(page, SectionPage):  # shown when the page is built
            return
        page.show_outcome(
            result.text + (" The reasons are at the end of this page." if reasons else ""),
            severity,
            "Why the screener says this:" + reasons if reasons else "",
            tuple(t + " The reasons are at the end of this page." for t in OUTCOME_TEXT.values()),
        )

    def _update_title(self) -> None:
        name = facts.client_name(self.draft) or "New draft"
        state = (
            " (submitted, read-only)"
            if self.read_only
            else " (read-only: saving paused)"
            if self.paused
            else ""
        )
        self.setWindowTitle(f"{name}{state} — {self.definition.number} — Ombuds Desktop")

    # ------------------------------------------------------------------ packet

    def build_packet(self):
        """Build in the background (cancellable); the window stays responsive."""
        from ombuds_desktop.ui.packet_actions import PacketBuilder

        if not self.save_now():
            return None
        self.builder = PacketBuilder(self, self.vault, self.draft, self.definition, self.settings)
        open_warnings = unacknowledged_warnings(self.findings, self.draft)
        if open_warnings and not has_errors(self.findings):
            if not confirm(
                self,
                "Warnings not acknowledged",
                f"{len(open_warnings)} warning(s) are not acknowledged yet. Read each one "
                "on Review and tick it to build the final packet, or build a draft copy "
                "now, marked “DRAFT - NOT READY TO FILE” on every page.",
                yes="Build a draft copy",
                no="Go to Review",
            ):
                self.jump_to(REVIEW_ID, None)
                return None
            self.builder.allow_draft = True
        return self.builder.build(self.show_packet)

    def show_packet(self, result) -> None:
        from ombuds_desktop.ui.preview import PreviewWindow

        self.last_packet = result
        if self.preview is not None:
            self.preview.close()
        self.preview = PreviewWindow(
            result,
            self.vault,
            self.draft,
            self.definition,
            self.settings,
            self,
            on_submitted=self.reload_submission,
        )
        self.preview.show()

    def print_signature_page(self) -> bool:
        from ombuds_desktop.packet.exports import signature_page_pdf
        from ombuds_desktop.ui.packet_actions import packet_options
        from ombuds_desktop.ui.preview import print_pdf

        self._collect()
        try:
            data = signature_page_pdf(
                self.draft, self.definition, packet_options(self.draft, self.settings, self.vault)
            )
        except Exception as exc:
            show_error(self, "The signature page could not be made", exc)
            return False
        printed = print_pdf(self, data, "Section 9 signature page")
        if printed and self.vault is not None:
            self.vault.record_event("print", self.draft.id)
        return printed

    def reload_submission(self) -> None:
        """After "Mark as submitted" the vault saved the draft: pick up its new state."""
        stored = self.vault.load_draft(self.draft.id)
        self.draft.submission, self.draft.status = stored.submission, stored.status
        self.revision = self.vault.current_revision(self.draft.id)
        self.revalidate()
        self._apply_read_only()
        self.saved.emit(self.draft.id)

    @property
    def read_only(self) -> bool:
        """A submitted request stays as it was sent; changes go into a correction copy."""
        return self.draft.status in ("submitted", "resolved")

    def submission_text(self) -> str:
        from ombuds_desktop.ui.drafts_model import METHOD_TEXT

        sub = self.draft.submission
        if sub is None:
            return "This request was marked as submitted."
        number = (
            f", CIS Ombudsman request number {sub.request_number}" if sub.request_number else ""
        )
        how = METHOD_TEXT.get(sub.method, sub.method).lower()
        return f"Submitted {how} on {format_us(sub.date)}{number}."

    @property
    def paused(self) -> bool:
        """The vault takes no changes now (rolled back and not accepted, or opened read-only):
        the window is read-only, so nothing is typed that could not be saved."""
        vault = self.vault
        return vault is not None and (vault.read_only or bool(vault.freshness_problems))

    @staticmethod
    def _lock_page(page: QWidget, locked: bool) -> None:
        body = page.widget() if isinstance(page, SectionPage) else None
        if body is not None:
            body.setEnabled(not locked)

    def _apply_read_only(self) -> None:
        paused = self.paused
        locked = self.read_only or paused
        for page in self.pages.built():
            self._lock_page(page, locked)
        self.act_correction.setEnabled(self.read_only and not paused)
        self.correction_button.setVisible(self.read_only and not paused)
        self.submitted_box.setVisible(locked)
        if paused:
            self.submitted_notice.setText(
                "Saving is paused: this vault is older than the last one this computer saw, "
                "or it is open read-only. This draft is read-only; you can read, print and "
                "export it. Restart Ombuds Desktop with the newer vault, or accept this one "
                "as it is, to edit again."
            )
            self.submitted_notice.setAccessibleName("Saving paused: read-only")
        elif locked:
            self.submitted_notice.setText(
                f"{self.submission_text()} This draft is read-only, as it was sent. To "
                "change anything, make a correction copy."
            )
            self.submitted_notice.setAccessibleName("Submitted: read-only")
        self._update_title()

    def make_correction_copy(self) -> str | None:
        """A new editable draft with the same answers and documents; opened for editing."""
        if not self.read_only or self.vault is None:
            return None
        try:
            twin = self.vault.correction_copy(self.draft.id)
        except Exception as exc:
            show_error(self, "The correction copy could not be made", exc)
            return None
        self.saved.emit(twin.id)
        self.open_requested.emit(twin.id)
        return twin.id

    # ------------------------------------------------------------------ saving

    def save_now(self) -> bool:
        self._save_timer.stop()
        if self.read_only or self.paused:  # nothing to save: the answers cannot change
            self.dirty = False  # (recovered typing stays in its record until a real save)
            return True
        self._collect()
        if self.vault is None:
            return True
        from ombuds_desktop.vault import FreshnessError, RevisionConflictError

        try:
            try:
                self.revision = self.vault.save_draft(self.draft, base_revision=self.revision)
            except RevisionConflictError:
                if not confirm(
                    self,
                    "Changed in another window",
                    "This draft was saved from another window or command since you "
                    "opened it. Save your version as the newest? The other version "
                    "stays in the draft's history and can be restored.",
                    yes="Save my version",
                    no="Not now",
                ):
                    self.save_state.setText("Not saved: changed elsewhere")
                    return False
                self.revision = self.vault.save_draft(self.draft)
        except FreshnessError as exc:
            # Said once per window (the unlock already explained it); the typing is still
            # kept in the encrypted recovery record, so accepting the vault later loses nothing.
            self.save_state.setText("NOT SAVED — saving is paused (older vault)")
            if not self._told_paused:
                self._told_paused = True
                show_error(self, "Saving is paused", exc)
            return False
        except Exception as exc:
            self.save_state.setText("NOT SAVED — see the message")
            show_error(self, "Your changes could not be saved", exc)
            return False
        self.dirty = False
        if self._recovery_written:
            self._discard_recovery()
        self.save_state.setText(f"Saved {time.strftime('%H:%M:%S')}")
        self._update_title()
        self.saved.emit(self.draft.id)
        return True

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        from ombuds_desktop.ui.operations import Operation

        Operation.stop_for(self)  # documents being added, a packet being built: stopped
        if (
            self.dirty
            and not self.save_now()
            and not confirm(
                self,
                "Close without saving?",
                "The last changes could not be saved. Close anyway and lose them?",
                yes="Close and lose them",
                no="Keep the window open",
            )
        ):
            event.ignore()
            return
        if self.app_state is not None:
            self.app_state.save_geometry(self)
        self.closed.emit(self.draft.id)
        super().closeEvent(event)
