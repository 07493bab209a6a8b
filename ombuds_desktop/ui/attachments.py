"""Section 8: the supporting documents of a draft, stored encrypted in the vault.

Files are added by dialog or drag and drop, encrypted into the vault off the
UI thread, and listed with a first-page thumbnail, page count and size.
Thumbnails are rendered in memory from the decrypted bytes; nothing
decrypted is written to disk.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ombuds_desktop.dates import DateFormatError, format_us, parse_us
from ombuds_desktop.draft.model import Attachment, Draft
from ombuds_desktop.formdef.model import FieldDef, FormDefinition
from ombuds_desktop.ui.dialogs import show_error
from ombuds_desktop.ui.field_row import ProblemLabel
from ombuds_desktop.ui.operations import Operation
from ombuds_desktop.validation import Finding

if TYPE_CHECKING:
    from ombuds_desktop.vault import Vault

THUMB = QSize(72, 92)
ACCEPTED = "Documents (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)"


def render_thumbnail(data: bytes) -> tuple[QPixmap | None, int]:
    """First page (or the image) as a small picture, and the page count; in memory only."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # honour the EXIF orientation of phone photos
    image = reader.read() if reader.canRead() else QImage()
    if not image.isNull():
        return QPixmap.fromImage(
            image.scaled(
                THUMB,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        ), 1
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    buffer.seek(0)
    document.load(buffer)
    pages = document.pageCount()
    if pages <= 0:
        return None, 0
    rendered = document.render(0, THUMB)
    canvas = QImage(rendered.size(), QImage.Format.Format_RGB32)
    canvas.fill(QColor("white"))  # QtPdf renders on a transparent background
    painter = QPainter(canvas)
    painter.drawImage(0, 0, rendered)
    painter.end()
    document.close()
    return QPixmap.fromImage(canvas), pages


def check_document(path: Path) -> str | None:
    """Why a file cannot be a supporting document (the packet's own message), or None.

    A password-protected PDF is accepted here; its password is asked for at build time.
    """
    from ombuds_desktop.packet import PacketInputError
    from ombuds_desktop.packet.exhibits import MAX_FILE_BYTES, read_attachment
    from ombuds_desktop.packet.sources import inspect_document

    # Before reading a byte: a dropped folder, a device or a huge video must not be read
    # into memory (a 2 GB file would be) only to be refused afterwards.
    try:
        info = path.stat()
    except OSError as exc:
        return f"{path.name} cannot be read ({exc.strerror or exc}); check it still exists."
    if stat.S_ISDIR(info.st_mode):
        return (
            f"“{path.name}” is a folder. Add the documents in it instead "
            "(PDF, JPEG, PNG or TIFF files), not the folder itself."
        )
    if not stat.S_ISREG(info.st_mode):
        return f"{path.name} is not an ordinary file (a device or a pipe); it cannot be added."
    if info.st_size > MAX_FILE_BYTES:
        return (
            f"{path.name} is {human_size(info.st_size)}; a supporting document can be at "
            f"most {human_size(MAX_FILE_BYTES)}. Split it, or scan it again at a lower "
            "resolution."
        )
    att = Attachment(category="other", description=path.name, path=str(path))
    try:
        return inspect_document(att, read_attachment(att, None)).problem
    except PacketInputError as exc:
        return str(exc)


@dataclass(slots=True)
class DocInfo:
    """What the list shows of one stored document (computed once per attachment)."""

    thumb: QPixmap | None = None
    pages: int = 0
    size: int = 0
    locked: bool = False
    problem: str | None = None


def human_size(n: int) -> str:
    """Sizes as the packet states them: decimal megabytes, the unit of the e-mail budget.

    One formatter for the list, the budget meter and the messages, so "10 MB" on screen is
    the 10,000,000 bytes the build checks (not 10 MiB).
    """
    from ombuds_desktop.packet.options import megabytes

    return megabytes(max(n, 1))


class AttachmentsEditor(QWidget):
    """The Section 8 page body: list, details of the selected document, size meter."""

    changed = Signal()
    removed = Signal(str)  # attachment id: the window forgets its build choices for it

    def __init__(
        self,
        definition: FormDefinition,
        field: FieldDef,
        vault: Vault,
        email_budget_mb: float = 10.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.definition = definition
        self.field = field
        self.vault = vault
        from ombuds_desktop.packet.options import MB

        self.budget = int(email_budget_mb * MB)
        self.draft: Draft | None = None
        self._info: dict[str, DocInfo] = {}  # attachment id -> what the list shows
        self._loading = False
        self.setAcceptDrops(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.needed = ProblemLabel()
        layout.addWidget(self.needed)
        hint = QLabel(
            "Add documents with “Add files…” or drag them here. Exhibits are "
            "printed in category order until you change the order here (drag, or "
            "Move up / Move down); then your order is kept."
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        layout.addWidget(hint)

        self.list = QListWidget()
        self.list.setIconSize(THUMB)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setAccessibleName("Supporting documents, in exhibit order")
        self.list.setMinimumHeight(320)
        self.list.currentRowChanged.connect(self._show_details)
        self.list.model().rowsMoved.connect(self._reordered)
        layout.addWidget(self.list, 1)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add files…")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button = QPushButton("Move up")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton("Move down")
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.meter = QLabel()
        self.meter.setAccessibleName("Total size against the e-mail budget")
        buttons.addWidget(self.meter)
        layout.addLayout(buttons)

        self.details = QGroupBox("Selected document")
        form = QFormLayout(self.details)
        self.category = QComboBox()
        for cat in definition.attachment_categories:
            self.category.addItem(cat.label, cat.id)
        self.description = QLineEdit()
        self.description.setPlaceholderText("Printed on the exhibit index")
        self.doc_date = QLineEdit()
        self.doc_date.setPlaceholderText("mm/dd/yyyy")
        self.doc_date.setMaximumWidth(150)
        self.foreign = QCheckBox("Not in English (a certified translation must follow it)")
        self.translation_of = QComboBox()
        form.addRow("Category:", self.category)
        form.addRow("Description:", self.description)
        form.addRow("Date of the document:", self.doc_date)
        form.addRow("", self.foreign)
        form.addRow("Translation of:", self.translation_of)
        self.date_problem = QLabel()
        self.date_problem.setObjectName("hint")
        form.addRow("", self.date_problem)
        for w, name in (
            (self.category, "Category"),
            (self.description, "Description"),
            (self.doc_date, "Date of the document"),
            (self.translation_of, "Translation of"),
        ):
            w.setAccessibleName(name)
        self.category.currentIndexChanged.connect(self._edit)
        self.description.textEdited.connect(self._edit)
        self.doc_date.textEdited.connect(self._edit)
        self.foreign.toggled.connect(self._edit)
        self.translation_of.currentIndexChanged.connect(self._edit)
        layout.addWidget(self.details)
        self._refresh_buttons()

    # ------------------------------------------------------------------ data in / out

    def load(self, draft: Draft) -> None:
        self.draft = draft
        self._rebuild()

    def _rebuild(self, select: int | None = None) -> None:
        assert self.draft is not None
        self._loading = True
        self.list.clear()
        for att in self.draft.attachments:
            item = QListWidgetItem(self._item_text(att))
            item.setData(Qt.ItemDataRole.UserRole, att.id)
            item.setToolTip(self._item_tip(att))
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole, self._item_text(att).replace("\n", ", ")
            )
            thumb = self._thumb(att)
            if thumb[0] is not None:
                item.setIcon(QIcon(thumb[0]))
            self.list.addItem(item)
        self.translation_of.clear()
        self.translation_of.addItem("(not a translation)", None)
        for att in self.draft.attachments:
            self.translation_of.addItem(
                att.description or att.original_name or "(no description)", att.id
            )
        self._loading = False
        if self.draft.attachments:
            self.list.setCurrentRow(
                min(select if select is not None else 0, len(self.draft.attachments) - 1)
            )
        else:
            self._show_details(-1)
        self._update_meter()

    def _doc(self, att: Attachment) -> DocInfo:
        """Thumbnail, pages, size and lock of a stored document, through the packet's
        inspection (the one the build uses), decrypted in memory only."""
        if att.id not in self._info:
            from ombuds_desktop.packet import PacketInputError
            from ombuds_desktop.packet.sources import inspect_document, vault_reader

            info = DocInfo()
            if self.vault is not None:
                try:
                    data = vault_reader(self.vault)(att)
                except PacketInputError as exc:
                    info.problem = exc.problem
                else:
                    info.size = len(data)
                    inspected = inspect_document(att, data)
                    info.pages, info.locked = inspected.pages, inspected.locked
                    info.problem = inspected.problem
                    if not info.locked and not info.problem:
                        try:
                            info.thumb, _ = render_thumbnail(data)
                        except Exception:  # no thumbnail is not a problem worth a message
                            info.thumb = None
            self._info[att.id] = info
        return self._info[att.id]

    def _thumb(self, att: Attachment) -> tuple[QPixmap | None, int, int]:
        info = self._doc(att)
        return info.thumb, info.pages, info.size

    def _item_text(self, att: Attachment) -> str:
        """Description, then category and file name, then date, pages, size, lock."""
        cat = self.definition.category(att.category)
        info = self._doc(att)
        title = att.description.strip() or "No description yet (add one below)"
        second = [cat.label if cat else f"Unknown category {att.category!r}"]
        if att.original_name:
            second.append(att.original_name)
        facts = []
        if att.date:
            facts.append(format_us(att.date))
        if info.locked:
            facts.append("🔒 password-protected")
        elif info.pages:
            facts.append(f"{info.pages} page{'s' if info.pages != 1 else ''}")
        if info.size:
            facts.append(human_size(info.size))
        if info.problem:
            facts.append("⚠ cannot be used in the packet")
        lines = [title, " · ".join(second)]
        if facts:
            lines.append(" · ".join(facts))
        return "\n".join(lines)

    def _item_tip(self, att: Attachment) -> str:
        info = self._doc(att)
        if info.problem:
            return f"{att.original_name or 'This document'} {info.problem}"
        if info.locked:
            return "Password-protected PDF: its password is asked for when the packet is built."
        return ""

    def _update_meter(self) -> None:
        total = sum(self._thumb(a)[2] for a in (self.draft.attachments if self.draft else []))
        over = total > self.budget
        self.meter.setText(
            f"{'Over budget: ' if over else ''}{human_size(total)} of "
            f"{human_size(self.budget)} e-mail budget"
        )
        self.meter.setProperty("severity", "warning" if over else "")
        self.meter.style().unpolish(self.meter)
        self.meter.style().polish(self.meter)

    def _current(self) -> Attachment | None:
        if self.draft is None:
            return None
        row = self.list.currentRow()
        return self.draft.attachments[row] if 0 <= row < len(self.draft.attachments) else None

    def _show_details(self, row: int) -> None:
        att = self._current()
        self.details.setEnabled(att is not None)
        self._loading = True
        if att is not None:
            self.category.setCurrentIndex(max(self.category.findData(att.category), 0))
            self.description.setText(att.description)
            self.doc_date.setText(format_us(att.date) if att.date else "")
            self.foreign.setChecked(att.foreign_language)
            self.translation_of.setCurrentIndex(
                max(self.translation_of.findData(att.translation_of), 0)
            )
        else:
            self.description.clear()
            self.doc_date.clear()
        self._loading = False
        self._refresh_buttons()

    def _edit(self, *_: object) -> None:
        att = self._current()
        if self._loading or att is None:
            return
        att.category = self.category.currentData()
        att.description = self.description.text()
        text = self.doc_date.text().strip()
        self.date_problem.setText("")
        if not text:
            att.date = None
        else:
            try:
                att.date = parse_us(text).isoformat()
            except DateFormatError as exc:
                self.date_problem.setText(str(exc))
        att.foreign_language = self.foreign.isChecked()
        target = self.translation_of.currentData()
        att.translation_of = target if target != att.id else None
        item = self.list.currentItem()
        if item is not None:
            item.setText(self._item_text(att))
        self.changed.emit()

    def _refresh_buttons(self) -> None:
        has = self._current() is not None
        self.remove_button.setEnabled(has)
        row = self.list.currentRow()
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < self.list.count() - 1)

    # ------------------------------------------------------------------ actions

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add supporting documents", "", ACCEPTED)
        if files:
            self.add_files([Path(f) for f in files])

    def add_files(self, files: list[Path]) -> Operation | None:
        if self.draft is None or self.vault is None or not files:
            return None
        draft, vault = self.draft, self.vault

        def work(progress, token):
            added, refused = [], []
            for i, path in enumerate(files):
                token.check()
                progress(i, len(files), f"Checking and encrypting {i + 1} of {len(files)}…")
                problem = check_document(path)
                if problem:
                    refused.append(problem)
                    continue
                stored = vault.store_attachment(draft.id, path)
                added.append((path, stored))
            return added, refused

        def done(result) -> None:
            added, refused = result
            for _path, stored in added:
                draft.attachments.append(
                    Attachment(
                        category="other",
                        description="",
                        path=stored.ref,
                        sha256=stored.sha256,
                        original_name=stored.original_name,
                    )
                )
            self._rebuild(select=len(draft.attachments) - len(added) if added else None)
            if added:
                self.changed.emit()
            if refused:
                show_error(self, "Some files were not added", "\n\n".join(refused))

        return (
            Operation(self, work)
            .success(done)
            .failure(lambda exc: show_error(self, "Could not add the files", exc))
            .run("Encrypting the documents into the vault…")
        )

    def remove_selected(self) -> None:
        att = self._current()
        if att is None or self.draft is None:
            return
        row = self.list.currentRow()
        # the core's removal: also forgets the document's leave-out, password and order entries
        self.draft.remove_attachment(att.id)
        self._info.pop(att.id, None)
        self.removed.emit(att.id)
        self._rebuild(select=max(row - 1, 0))
        self.changed.emit()

    def move_selected(self, delta: int) -> None:
        if self.draft is None:
            return
        row = self.list.currentRow()
        target = row + delta
        if not (0 <= row < len(self.draft.attachments)) or not (
            0 <= target < len(self.draft.attachments)
        ):
            return
        items = self.draft.attachments
        items[row], items[target] = items[target], items[row]
        self._remember_order()
        self._rebuild(select=target)
        self.changed.emit()

    def _remember_order(self) -> None:
        """The user chose an order: the packet keeps it (``options.exhibit_order``)."""
        assert self.draft is not None
        packet = self.draft.options.setdefault("packet", {})
        packet["exhibit_order"] = [a.id for a in self.draft.attachments]

    def _reordered(self, *_: object) -> None:
        if self._loading or self.draft is None:
            return
        order = [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]
        by_id = {a.id: a for a in self.draft.attachments}
        self.draft.attachments[:] = [by_id[i] for i in order if i in by_id]
        self._remember_order()
        self.changed.emit()

    def show_findings(self, findings: list[Finding]) -> None:
        self.needed.show_findings(
            [f for f in findings if f.field and f.field.startswith(self.field.id)]
        )

    # ------------------------------------------------------------------ drag and drop

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        if files:
            self.add_files(files)
        else:
            show_error(
                self,
                "Nothing was added",
                "Only files on this computer can be added. Save the document to a "
                "folder first, then drag it here or use “Add files…”.",
            )
