"""The built packet in an in-app PDF preview, with print, save, exports and submission.

The PDF is shown from memory (QtPdf reads a QBuffer); nothing is written
unless the user saves or exports, and then only where they choose.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QModelIndex,
    QObject,
    QPointF,
    QRect,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPageSize,
    QPainter,
)
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QTreeView,
    QWidget,
)

from ombuds_desktop.dates import DateFormatError, format_us, parse_us
from ombuds_desktop.draft import facts
from ombuds_desktop.draft.model import Draft, Submission
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.ui.dialogs import confirm, show_error
from ombuds_desktop.ui.operations import Operation
from ombuds_desktop.ui.packet_actions import neutral_name, packet_options, save_bytes, vault_reader
from ombuds_desktop.ui.review import WrappingDelegate

if TYPE_CHECKING:  # the packet and the vault load on first use
    from ombuds_desktop.packet import PacketOptions, PacketResult
    from ombuds_desktop.ui.app import Settings
    from ombuds_desktop.vault import Vault


def load_pdf(data: bytes, parent: QObject | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument reading from memory (keep the buffer alive as long as the document)."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)  # type: ignore[arg-type]  # PySide6 stubs: None is fine
    document.load(buffer)
    return document, buffer


def print_pdf(parent: QWidget, data: bytes, title: str) -> bool:
    """Print a PDF through the system dialog on Letter paper, as vector where possible.

    "Print to file" writes the PDF itself (the same bytes the CLI makes); a printer
    with a CUPS queue gets the PDF through ``lp`` (vector, Letter).  Only when
    neither is possible are the pages drawn at the printer's resolution, still on
    Letter with their proportions kept.
    """
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    printer.setFullPage(True)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return send_pdf(parent, printer, data, title)


def send_pdf(parent: QWidget, printer: QPrinter, data: bytes, title: str) -> bool:
    from ombuds_desktop.packet.exports import write_atomic

    if printer.outputFileName():
        try:
            write_atomic(Path(printer.outputFileName()), data)
        except OSError as exc:
            show_error(parent, "Printing to a file failed", exc)
            return False
        return True
    lp = shutil.which("lp")
    if lp and printer.printerName():
        args = [lp, "-d", printer.printerName(), "-t", title, "-o", "media=Letter"]
        args += ["-n", str(max(printer.copyCount(), 1))]
        try:
            done = subprocess.run(args, input=data, capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            show_error(parent, "Printing failed", f"The print system did not answer ({exc}).")
            return False
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            show_error(
                parent, "Printing failed", message[-1] if message else "The printer refused it."
            )
            return False
        return True
    return _print_rendered(parent, printer, data)


def _print_rendered(parent: QWidget, printer: QPrinter, data: bytes) -> bool:
    """Last resort: pages drawn at the printer's resolution, proportions kept."""
    document, buffer = load_pdf(data)
    painter = QPainter()
    if not painter.begin(printer):
        show_error(parent, "Printing failed", "The printer could not be started.")
        return False
    try:
        for i in range(document.pageCount()):
            if i:
                printer.newPage()
            target = painter.viewport()
            size = document.pagePointSize(i).toSize()
            size.scale(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            image = document.render(i, size)
            page = QImage(image.size(), QImage.Format.Format_RGB32)
            page.fill(QColor("white"))
            p = QPainter(page)
            p.drawImage(0, 0, image)
            p.end()
            x = target.x() + (target.width() - size.width()) // 2
            y = target.y() + (target.height() - size.height()) // 2
            painter.drawImage(QRect(x, y, size.width(), size.height()), page)
    finally:
        painter.end()
        document.close()
        buffer.close()
    return True


def save_signature_page(parent: QWidget, data: bytes, default: str) -> str | None:
    """Save the vector signature page (the CLI's bytes) where the user chooses."""
    path, _ = QFileDialog.getSaveFileName(parent, "Save the signature page", default, "PDF (*.pdf)")
    if path and save_bytes(parent, data, path):
        return path
    return None


class SubmittedDialog(QDialog):
    """Mark as submitted: method, date and the CIS Ombudsman request number."""

    def __init__(self, parent: QWidget | None, draft: Draft) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark as submitted")
        form = QFormLayout(self)
        self.method = QComboBox()
        for key, label in (("online", "Online"), ("email", "E-mail"), ("mail", "Mail")):
            self.method.addItem(label, key)
        channel = facts.value(draft, "channel")
        self.method.setCurrentIndex(max(self.method.findData(channel), 0))
        self.date = QLineEdit(format_us(date.today()))
        self.date.setPlaceholderText("mm/dd/yyyy")
        self.number = QLineEdit()
        self.number.setPlaceholderText(
            "From the confirmation e-mail or letter (can be added later)"
        )
        self.problem = QLabel()
        self.problem.setObjectName("problems")
        form.addRow("Submitted by:", self.method)
        form.addRow("Date submitted:", self.date)
        form.addRow("CIS Ombudsman request number:", self.number)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        try:
            when = parse_us(self.date.text())
        except DateFormatError as exc:
            self.problem.setText(str(exc))
            return
        if when > date.today():
            self.problem.setText("The submission date cannot be in the future.")
            return
        self.accept()

    def submission(self) -> Submission:
        return Submission(
            self.method.currentData(),
            parse_us(self.date.text()).isoformat(),
            self.number.text().strip() or None,
        )


class PreviewWindow(QMainWindow):
    def __init__(
        self,
        result: PacketResult,
        vault: Vault,
        draft: Draft,
        definition: FormDefinition,
        settings: Settings | None = None,
        parent: QWidget | None = None,
        on_submitted: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.result, self.vault, self.draft = result, vault, draft
        self.definition, self.settings = definition, settings
        self.on_submitted = on_submitted
        self.setWindowTitle(
            "Packet preview" + (" — DRAFT, NOT READY TO FILE" if result.watermarked else "")
        )
        self.resize(1100, 900)
        self.document, self._buffer = load_pdf(result.pdf, self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName("Packet pages")
        self.bookmarks = QPdfBookmarkModel(self)
        self.bookmarks.setDocument(self.document)
        self.tree = QTreeView()
        self.tree.setModel(self.bookmarks)
        self.tree.setHeaderHidden(True)
        # Long titles wrap instead of ending in "…" (the same delegate as Review).
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.header().sectionResized.connect(lambda *_: self.tree.doItemsLayout())
        self.tree.expandAll()
        self.tree.setAccessibleName("Bookmarks")
        self.tree.activated.connect(self._go)
        self.tree.clicked.connect(self._go)
        split = QSplitter()
        split.addWidget(self.tree)
        split.addWidget(self.view)
        split.setSizes([300, 800])
        self.setCentralWidget(split)
        self._actions()
        notes = f"{result.pages} pages"
        if result.watermarked:
            notes += " · DRAFT: validation errors remain"
        if result.notes:
            notes += " · " + " ".join(result.notes[:2])
        self.statusBar().showMessage(notes)

    def _actions(self) -> None:
        """A menu bar (Alt+letter, shortcuts) for every action; the toolbar repeats some."""
        menus = self.menuBar()

        def act(menu, text: str, slot, keys: str | None = None) -> QAction:
            a = QAction(text, self)
            if keys:
                a.setShortcut(QKeySequence(keys))
                a.setToolTip(f"{text.rstrip('…')} ({QKeySequence(keys).toString()})")
            a.triggered.connect(slot)
            menu.addAction(a)
            return a

        file = menus.addMenu("&File")
        self.act_save = act(file, "&Save the packet as…", self.save_as, "Ctrl+S")
        self.act_print = act(file, "&Print the packet…", self.print_packet, "Ctrl+P")
        file.addSeparator()
        self.act_close = act(file, "&Close the preview", self.close, "Ctrl+W")
        sig = menus.addMenu("Si&gnature page")
        self.act_signature = act(
            sig, "&Print the signature page…", self.print_signature_page, "Ctrl+Shift+P"
        )
        self.act_signature_save = act(
            sig, "&Save the signature page as PDF…", self.save_signature_page, "Ctrl+Shift+G"
        )
        export = menus.addMenu("&Export")
        self.act_upload = act(export, "For online &upload…", self.export_upload, "Ctrl+Shift+U")
        self.act_email = act(export, "&E-mail draft…", self.export_email, "Ctrl+Shift+E")
        self.act_mail = act(export, "&Mail packet…", self.export_mail, "Ctrl+Shift+L")
        filing = menus.addMenu("&Submission")
        self.act_submitted = act(filing, "Mark as &submitted…", self.mark_submitted, "Ctrl+Shift+M")
        bar = QToolBar("Packet")
        bar.setObjectName("packetToolbar")
        for a in (self.act_save, self.act_print, self.act_signature):
            bar.addAction(a)
        bar.addSeparator()
        for a in (self.act_upload, self.act_email, self.act_mail):
            bar.addAction(a)
        bar.addSeparator()
        bar.addAction(self.act_submitted)
        self.addToolBar(bar)

    def _go(self, index: QModelIndex) -> None:
        page = self.bookmarks.data(index, int(QPdfBookmarkModel.Role.Page))
        if page is not None:
            self.view.pageNavigator().jump(int(page), QPointF(), 0)

    def _left_out(self) -> frozenset[str]:
        """The documents the user chose to leave out of this packet stay out of its exports."""
        plan = getattr(self.result, "plan", None)
        if plan is None:
            return frozenset()
        # a document removed from the draft since this build is simply gone, not left out
        present = {a.id for a in self.draft.attachments}
        return frozenset(a.id for a in plan.skipped if a.id in present)

    def _default(self, what: str, suffix: str) -> str:
        folder = (
            Path(self.settings.output_folder)
            if self.settings and self.settings.output_folder
            else Path.home()
        )
        return str(folder / neutral_name(self.draft, what, suffix))

    # ------------------------------------------------------------------ actions

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the packet", self._default("packet", ".pdf"), "PDF (*.pdf)"
        )
        if path and save_bytes(self, self.result.pdf, path):
            manifest = Path(path).with_suffix(".manifest.json")
            save_bytes(self, self.result.manifest_json().encode("utf-8"), manifest)
            self.statusBar().showMessage(f"Saved {path} and its SHA-256 manifest.", 8000)

    def print_packet(self) -> None:
        if print_pdf(self, self.result.pdf, "DHS Form 7001 packet"):
            self.vault.record_event("print", self.draft.id)

    def _signature_page(self) -> bytes | None:
        from ombuds_desktop.packet.exports import signature_page_pdf

        try:  # the CLI's function: a vector Letter page
            return signature_page_pdf(
                self.draft, self.definition, packet_options(self.draft, self.settings, self.vault)
            )
        except Exception as exc:
            show_error(self, "The signature page could not be made", exc)
            return None

    def print_signature_page(self) -> None:
        data = self._signature_page()
        if data is not None and print_pdf(self, data, "Section 9 signature page"):
            self.vault.record_event("print", self.draft.id)

    def save_signature_page(self) -> None:
        data = self._signature_page()
        if data is None:
            return
        path = save_signature_page(self, data, self._default("signature-page", ".pdf"))
        if path:
            self.vault.record_event("export", self.draft.id)
            self.statusBar().showMessage(f"Saved the signature page to {path}.", 8000)

    def _run_export(self, label: str, work, done_text=None, report=None) -> Operation:
        """Run ``work`` in the background; once done, log the export and tell the user:
        ``done_text(result)`` in a message box, or ``report(result)`` for its own words."""

        def done(result: object) -> None:
            self.vault.record_event("export", self.draft.id)
            if report is not None:
                report(result)
            else:
                QMessageBox.information(self, "Done", done_text(result))

        return (
            Operation(self, work)
            .success(done)
            .failure(lambda exc: show_error(self, "The export failed", exc))
            .run(label)
        )

    def _rebuild_options(self, draft: Draft) -> PacketOptions:
        """Options of an export that builds parts again (upload files, the mail packet): a
        draft packet allows draft parts, and documents left out of the build stay out."""
        return packet_options(
            draft,
            self.settings,
            self.vault,
            allow_draft=self.result.watermarked,
            skip=self._left_out(),
        )

    def export_upload(self) -> Operation | None:
        from ombuds_desktop.packet.exports import export_upload_folder

        folder = QFileDialog.getExistingDirectory(
            self, "Folder for the upload files", str(Path(self._default("x", "")).parent)
        )
        if not folder:
            return None
        out = Path(folder) / neutral_name(self.draft, "upload", "")
        draft, definition = self.draft.copy(), self.definition
        options = self._rebuild_options(draft)
        reader = vault_reader(self.vault)
        return self._run_export(
            "Preparing the upload files…",
            lambda progress, token: export_upload_folder(
                draft,
                out,
                None,
                definition,
                options,
                progress=progress,
                cancel=token,
                read_bytes=reader,
            ),
            lambda r: f"The upload files and the copy sheet are in {out}.",
        )

    def export_email(self) -> Operation | None:
        from ombuds_desktop.packet.exports import export_eml

        if self.result.watermarked and not confirm(
            self,
            "This packet is a draft",
            "Every page of this packet is marked “DRAFT - NOT READY TO FILE”: validation "
            "errors remain. The CIS Ombudsman should receive only a final packet. Fix the "
            "errors on the Review page and build again.\n\nCreate an e-mail with the "
            "draft anyway (for example to check it yourself)?",
            yes="Create the draft e-mail anyway",
            no="Cancel",
        ):
            return None
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the e-mail draft", self._default("email", ".eml"), "E-mail draft (*.eml)"
        )
        if not path:
            return None
        draft, definition, packet = self.draft.copy(), self.definition, self.result
        options = packet_options(
            draft, self.settings, self.vault, allow_draft=self.result.watermarked
        )

        return self._run_export(
            "Preparing the e-mail…",
            lambda progress, token: export_eml(
                draft,
                Path(path),
                None,
                definition,
                options,
                packet=packet,
                progress=progress,
                cancel=token,
            ),
            report=lambda result: self.email_saved(
                list(getattr(result, "paths", None) or [Path(path)]),
                list(getattr(result, "notes", None) or []),
            ),
        )

    def email_saved(self, paths: list[Path], notes: list[str] | None = None) -> None:
        """Say what really happened: opened in the mail program, or only saved (and why
        there is no From address, when there is none)."""
        first = Path(paths[0])
        count = len(paths)
        saved = (
            f"The e-mail draft was saved: {first}"
            if count == 1
            else f"The e-mail was saved as {count} messages in {first.parent}"
        )
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(first)))
        box = QMessageBox(self)
        box.setObjectName("emailSaved")
        box.setTextFormat(Qt.TextFormat.PlainText)
        if opened:
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle("E-mail draft ready")
            box.setText(
                f"{saved}.\n\nIt was handed to your mail program. Check it there, then send it."
            )
        else:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("No mail program could be opened")
            box.setText(
                f"{saved}.\n\nNo mail program could be started on this computer, so the "
                "e-mail was not opened. Open the .eml file from your mail program (or "
                "double-click it in the folder), check it, then send it."
            )
        if notes:
            box.setText(box.text() + "\n\n" + "\n".join(notes))
        copy = box.addButton("Copy the folder path", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is copy:
            QGuiApplication.clipboard().setText(str(first.parent))
            self.statusBar().showMessage(f"Copied {first.parent}", 8000)

    def export_mail(self) -> Operation | None:
        from ombuds_desktop.packet.exports import export_mail

        path, _ = QFileDialog.getSaveFileName(
            self, "Save the print-ready mail packet", self._default("mail", ".pdf"), "PDF (*.pdf)"
        )
        if not path:
            return None
        draft, definition, packet = self.draft.copy(), self.definition, self.result
        options = self._rebuild_options(draft)
        # a wet-ink client's mail packet is built again for mail (the original Section 9)
        reader = vault_reader(self.vault)
        return self._run_export(
            "Preparing the mail packet…",
            lambda progress, token: export_mail(
                draft,
                Path(path),
                None,
                definition,
                options,
                packet=packet,
                progress=progress,
                cancel=token,
                read_bytes=reader,
            ),
            lambda r: (
                f"The mail packet (address sheet first) is in {path}. Mailed requests "
                "take two to three weeks to be entered."
            ),
        )

    def mark_submitted(self) -> None:
        if (
            self.result.watermarked
            and QMessageBox.question(
                self,
                "This is a draft packet",
                "This packet was built with errors left. Mark the request as submitted anyway?",
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        dialog = SubmittedDialog(self, self.draft)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.vault.record_submission(self.draft.id, dialog.submission())
        except Exception as exc:
            show_error(self, "Could not record the submission", exc)
            return
        if self.on_submitted:
            self.on_submitted()
        self.statusBar().showMessage("Marked as submitted.", 8000)
