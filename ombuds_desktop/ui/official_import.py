"""Vault › Import official form…: check the proposed mapping side by side, then save it.

One row per field of the official PDF: its name and tooltip, the draft answer it will
show (a combo box, preset to the proposal), and the proposal's confidence.  The
selected field is shown as a crop of its page (rendered by QtPdf) with the field
outlined, so the user sees what the form asks there.  Save keeps the PDF and the
confirmed mapping in the data folder, as ``ombuds-desktop edition import --mapping``
does; every decision is made by ``ombuds_desktop.official`` (no rules here).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.mapping import FieldMap, Mapping
from ombuds_desktop.official.propose import HIGH, Place, entry_for, places_for, summary
from ombuds_desktop.official.reader import OfficialForm

NOT_MAPPED = "(not mapped)"
LEAVE_EMPTY = "(leave empty on purpose)"
SCALE = 2.0  # pixels per point of the page crop
MARGIN = 48.0  # points of page shown around the field


class OfficialMappingDialog(QDialog):
    """The side-by-side mapping view of one official PDF."""

    def __init__(
        self,
        parent: QWidget | None,
        data: bytes,
        official: OfficialForm,
        mapping: Mapping,
        definition: FormDefinition,
        data_dir: Path | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Official form: check the mapping")
        self.data, self.official, self.definition = data, official, definition
        self.mapping, self.data_dir = mapping, data_dir
        self.saved: Path | None = None
        self._places: dict[str, list[Place]] = {}
        self._fields = list(official.fillable)

        layout = QVBoxLayout(self)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.header)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = QTableWidget(len(self._fields), 4, split)
        self.table.setHorizontalHeaderLabels(
            [
                "Official field",
                "Tooltip (or text beside it)",
                "Shows this answer of the draft",
                "Confidence",
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.crop = QLabel(split)
        self.crop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.crop.setMinimumWidth(320)
        self.crop.setAccessibleName("The official form around the selected field")
        split.setSizes([900, 380])
        layout.addWidget(split, 1)

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            "Save mapping", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._doc = QPdfDocument(self)
        self._doc.load(self._buffer)

        self.combos: list[QComboBox] = []
        for row, f in enumerate(self._fields):
            self._fill_row(row, f)
        for col, width in enumerate((230, 190, 380, 90)):
            self.table.setColumnWidth(col, width)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._show(row))
        self.resize(1300, 680)
        self._update_header()
        if self._fields:
            self.table.selectRow(0)
            self._show(0)

    # -- rows ---------------------------------------------------------------------------

    def _fill_row(self, row: int, f) -> None:
        entry = self.mapping.entry(f.name) or FieldMap(f.name)
        name = QTableWidgetItem(f"{f.short_name}  ({f.describe()})")
        name.setToolTip(f.name)
        self.table.setItem(row, 0, name)
        tip = QTableWidgetItem(f.tooltip or f.nearby or "")
        tip.setToolTip(f.tooltip or f.nearby or "")
        self.table.setItem(row, 1, tip)
        places = places_for(f, self.definition)
        self._places[f.name] = places
        combo = QComboBox(self.table)
        combo.setAccessibleName(f"Draft answer for {f.short_name}")
        combo.addItem(NOT_MAPPED)
        combo.addItem(LEAVE_EMPTY)
        current = 1 if entry.skip else 0
        for i, p in enumerate(places):
            combo.addItem(p.label)
            same_option = p.kind != "option" or p.option == entry.option
            same_kind = (p.kind == "choice") == bool(entry.choices) or f.kind == "radio"
            if entry.target == p.target and same_option and same_kind:
                current = i + 2
        if entry.target and current < 2:  # a hand-edited target the list does not offer
            combo.addItem(entry.target)
            current = combo.count() - 1
        combo.setCurrentIndex(current)
        combo.currentIndexChanged.connect(lambda _i, r=row: self._changed(r))
        self.table.setCellWidget(row, 2, combo)
        self.combos.append(combo)
        self._set_confidence(row, entry)

    def _set_confidence(self, row: int, entry: FieldMap) -> None:
        if entry.skip:
            text = "left empty"
        elif not entry.target:
            text = f"not mapped: {entry.why}" if entry.why else "not mapped"
        elif entry.confidence is None:
            text = "set by you"
        else:
            text = f"{entry.confidence:.2f}" + ("  check" if entry.confidence < HIGH else "")
        item = QTableWidgetItem(text)
        item.setToolTip(entry.why)
        if entry.target and entry.confidence is not None and entry.confidence < HIGH:
            item.setForeground(QColor("#8a4b00"))
        self.table.setItem(row, 3, item)

    def _changed(self, row: int) -> None:
        f = self._fields[row]
        index = self.combos[row].currentIndex()
        if index == 0:
            entry = FieldMap(f.name, why="not mapped by you")
        elif index == 1:
            entry = FieldMap(f.name, skip="left empty by you")
        elif index - 2 < len(self._places[f.name]):
            entry = entry_for(f, self._places[f.name][index - 2], self.definition)
        else:
            return  # the hand-edited target, unchanged
        self.mapping.fields = [entry if e.name == f.name else e for e in self.mapping.fields]
        if self.mapping.entry(f.name) is None:
            self.mapping.fields.append(entry)
        self._set_confidence(row, entry)
        self._update_header()

    def _update_header(self) -> None:
        c = summary(self.mapping)
        left = len(self.mapping.undecided(self.official))
        self.header.setText(
            f"{self.official.marks.text()}.\n"
            f"{c['mapped']} of {len(self._fields)} fields show an answer of the draft, "
            f"{c['skipped']} stay empty on purpose, {left} not mapped. "
            + (
                "Packets will use this official form once you save."
                if not left
                else "Packets keep using the typeset form until every field is mapped or "
                "left empty on purpose."
            )
        )

    # -- the page crop -----------------------------------------------------------------------

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._fields):
            return
        f = self._fields[row]
        if not f.widgets:
            self.crop.clear()
            return
        w = f.widgets[0]
        x0b, y0b, x1b, y1b = self.official.page_sizes[w.page]
        pw, ph = x1b - x0b, y1b - y0b
        page = self._doc.render(w.page, QSize(int(pw * SCALE), int(ph * SCALE)))
        if page.isNull():
            self.crop.setText("The page cannot be shown.")
            return
        image = QImage(page.size(), QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.drawImage(0, 0, page)
        x0, y0, x1, y1 = (w.rect[0] - x0b, w.rect[1] - y0b, w.rect[2] - x0b, w.rect[3] - y0b)
        box = QRectF(x0 * SCALE, (ph - y1) * SCALE, (x1 - x0) * SCALE, (y1 - y0) * SCALE)
        painter.setPen(QPen(QColor("#c00000"), 3))
        painter.drawRect(box)
        painter.end()
        left = max(0.0, (x0 - MARGIN * 3) * SCALE)
        top = max(0.0, (ph - y1 - MARGIN) * SCALE)
        right = min(pw * SCALE, (x1 + MARGIN * 3) * SCALE)
        bottom = min(ph * SCALE, (ph - y0 + MARGIN) * SCALE)
        piece = image.copy(int(left), int(top), int(right - left), int(bottom - top))
        self.crop.setPixmap(
            QPixmap.fromImage(piece).scaledToWidth(
                min(piece.width(), 480), Qt.TransformationMode.SmoothTransformation
            )
        )
        self.crop.setToolTip(f"Page {w.page + 1}")

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> None:
        from ombuds_desktop.official.store import save

        self.mapping.confirmed = True
        self.mapping.pdf_sha256 = self.official.sha256
        try:
            self.saved = save(self.data, self.official, self.mapping, self.data_dir)
        except OfficialFormError as exc:
            from ombuds_desktop.ui.dialogs import show_error

            show_error(self, "Official form", str(exc))
            return
        self.accept()


def open_mapping_dialog(
    parent: QWidget | None, path: Path, definition: FormDefinition, data_dir: Path | None
) -> OfficialMappingDialog | str:
    """The dialog for the PDF at ``path``, or the one-line reason it cannot be used."""
    from ombuds_desktop.official.store import import_official, read_pdf_file

    try:
        data = read_pdf_file(path)
        result = import_official(data, definition, data_dir)
    except OfficialFormError as exc:
        return f"{path.name}: {exc}"
    return OfficialMappingDialog(
        parent, data, result.official, result.mapping, definition, data_dir
    )


def import_official_form(parent: QWidget, definition: FormDefinition, data_dir: Path) -> None:
    """Vault › Import official form…: choose the PDF, check the mapping, save it."""
    from ombuds_desktop.ui.dialogs import show_error

    name, _ = QFileDialog.getOpenFileName(
        parent, "Import the official DHS Form 7001 (fillable PDF)", "", "PDF files (*.pdf)"
    )
    if not name:
        return
    dialog = open_mapping_dialog(parent, Path(name), definition, data_dir)
    if isinstance(dialog, str):
        show_error(parent, "Official form", dialog)
        return
    dialog.exec()
