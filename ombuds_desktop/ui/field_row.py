"""A field as the user sees it: label, help, editor, and its problems in words.

Problems are shown under the field as text with a severity word ("Error:",
"Warning:") and the field gets a marked frame, so nothing relies on colour
alone.  Repeating groups are a list of row boxes with Add / Remove buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWhatsThis,
    QWidget,
)

from ombuds_desktop.formdef.conditions import field_required, field_shown
from ombuds_desktop.formdef.model import FieldDef, FormDefinition
from ombuds_desktop.ui.editors import SIMPLE_EDITORS, Editor, MirrorLabel, breakable, guard_wheel
from ombuds_desktop.validation import Finding

SEVERITY_WORD = {"error": "Error", "warning": "Warning", "info": "Note"}
SEVERITY_ICON = {"error": "✖", "warning": "⚠", "info": "ℹ"}


def without_label(message: str, label: str) -> str:
    """The message as shown under its own field: the label is right above it, so a
    leading "Label: " is dropped ("Who is preparing this request?: this needs an
    answer." becomes "This needs an answer.").  The core keeps the full wording for
    the CLI and the Review list, where the label is needed."""
    label = label.strip()
    if label and message.startswith(label + ":"):
        rest = message[len(label) + 1 :].strip()
        if rest:
            return rest[0].upper() + rest[1:]
    return message


#: What to do about an empty required answer, by editor type (the finding's code is
#: "required"; its wording, which names the field, is for the CLI and Review).
REQUIRED_HINT = {
    "yes_no": "Choose Yes or No.",
    "single_choice": "Choose one of the answers.",
    "multiple_choice": "Tick at least one box.",
    "group": "Add at least one row.",
    "date": "Type the date as mm/dd/yyyy, or pick it from the calendar.",
    "person_name": "Type the name.",
    "address": "Type the address.",
    "country": "Choose a country.",
    "us_state": "Choose a state.",
}


def field_message(finding: Finding, label: str, field_type: str = "") -> str:
    """A finding's words under its field: what to do, without repeating the label."""
    if finding.code == "required" and field_type:
        return REQUIRED_HINT.get(field_type, "Type an answer.")
    return without_label(finding.message, label)


class ProblemLabel(QLabel):
    """The findings of one field, in words, under the field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setObjectName("problems")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.label = ""  # the field's label, left out of its messages
        self.field_type = ""  # for the "needs an answer" hint
        self.full_text = ""
        self.max_lines: int | None = None  # set by ProblemSlot: the text must fit
        self.hide()

    def show_findings(self, findings: list[Finding]) -> None:
        if not findings:
            self.full_text = ""
            self.clear()
            self.setToolTip("")
            self.setAccessibleDescription("")
            self.setProperty("severity", "")
            self.hide()
        else:
            lines = [
                f"{SEVERITY_ICON[f.severity]} {SEVERITY_WORD[f.severity]}: "
                f"{field_message(f, self.label, self.field_type)}"
                for f in findings
            ]
            self.full_text = "\n".join(lines)
            self.setAccessibleDescription(self.full_text)
            self._fit()
            worst = min(findings, key=lambda f: ("error", "warning", "info").index(f.severity))
            self.setProperty("severity", worst.severity)
            self.show()
        self.style().unpolish(self)
        self.style().polish(self)

    def _fit(self) -> None:
        """Show as much of the text as the reserved lines hold; the rest in the tooltip."""
        text = breakable(self.full_text)
        if self.max_lines is None or not text or self.width() < 40:
            self.setText(text)
            self.setToolTip("")
            return
        metrics = QFontMetrics(self.font())
        room = self.max_lines * metrics.lineSpacing()
        width = self.contentsRect().width()

        def fits(candidate: str) -> bool:
            flags = int(Qt.TextFlag.TextWordWrap)
            return (
                metrics.boundingRect(QRect(0, 0, width, 100000), flags, candidate).height() <= room
            )

        if fits(text):
            self.setText(text)
            self.setToolTip("")
            return
        low, high = 0, len(text)
        while low < high:  # the longest start of the text that fits with "…"
            mid = (low + high + 1) // 2
            if fits(text[:mid].rstrip() + "…"):
                low = mid
            else:
                high = mid - 1
        self.setText(text[:low].rstrip() + "…")
        self.setToolTip(self.full_text)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.max_lines is not None and self.full_text:
            self._fit()


class ProblemSlot(QWidget):
    """A fixed-height place under a field for its messages.

    The height is reserved whether or not there is a message, so a message that
    appears or goes away never moves the fields below (a click meant for one field
    used to land in the next).  A message longer than the slot ends in "…" and is
    shown whole in its tooltip, to screen readers and on the Review page.
    """

    LINES = 2

    def __init__(self, label: ProblemLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        label.max_lines = self.LINES
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(label, 0, Qt.AlignmentFlag.AlignTop)
        height = self.LINES * QFontMetrics(label.font()).lineSpacing() + 2
        self.setFixedHeight(height)
        label.setMaximumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)


def make_editor(definition: FormDefinition, field: FieldDef) -> Editor:
    if field.mirror:
        return MirrorLabel(field, definition.field(field.mirror))
    if field.type == "group":
        return GroupEditor(definition, field)
    cls = SIMPLE_EDITORS.get(field.type)
    if cls is None:
        raise ValueError(f"no editor for field type {field.type!r}")
    return cls(field)


class FieldRow(QFrame):
    """Label + help + editor + problems for one field (or one sub-field of a row)."""

    changed = Signal()

    def __init__(
        self, definition: FormDefinition, field: FieldDef, path: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.definition = definition
        self.field = field
        self.path = path
        self.setObjectName("fieldRow")
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Never squeeze a row below its natural height (the page scrolls instead), or
        # fields and their problem texts overlap when messages appear.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.setSpacing(3)
        head = QHBoxLayout()
        self.label = QLabel(field.label)
        self.label.setWordWrap(True)
        self.label.setObjectName("fieldLabel")
        head.addWidget(self.label, 1)
        self.required_mark = QLabel("")
        self.required_mark.setObjectName("hint")
        # Room for "(required)" is kept, so the label never re-wraps when it appears.
        self.required_mark.setMinimumWidth(
            QFontMetrics(self.required_mark.font()).horizontalAdvance("(required)") + 2
        )
        head.addWidget(self.required_mark)
        self.help_button: QToolButton | None = None
        if field.help:
            self.help_button = QToolButton()
            self.help_button.setText("?")
            self.help_button.setToolTip("Help for this question (F1)")
            self.help_button.setAccessibleName(f"Help: {field.label}")
            self.help_button.clicked.connect(self.show_help)
            head.addWidget(self.help_button)
        outer.addLayout(head)
        self.editor = make_editor(definition, field)
        self.editor.set_accessible(field.label, field.help)
        self.editor.setWhatsThis(field.help or field.label)
        self.label.setBuddy(self.editor.focusProxy() or self.editor)
        outer.addWidget(self.editor)
        guard_wheel(self.editor)
        self.problems = ProblemLabel()
        self.problems.label = field.label
        self.problems.field_type = field.type
        if field.mirror or field.type == "signature":
            outer.addWidget(self.problems)  # never has findings: no space reserved
        else:
            outer.addWidget(ProblemSlot(self.problems))
        self.editor.changed.connect(self.changed)

    def show_help(self) -> None:
        target = self.editor
        QWhatsThis.showText(
            target.mapToGlobal(target.rect().topLeft()),
            f"{self.field.label}\n\n{self.field.help}",
            target,
        )

    def update_state(self, values: dict[str, Any], row: dict[str, Any] | None = None) -> bool:
        shown = field_shown(self.field, values, row)
        self.setVisible(shown)
        required = shown and field_required(self.field, values, row)
        self.required_mark.setText("(required)" if required else "")
        if isinstance(self.editor, GroupEditor):
            self.editor.update_rows(values)
        return shown

    def show_findings(self, findings: list[Finding]) -> None:
        mine = [
            f
            for f in findings
            if f.field is not None and (f.field == self.path or f.field.startswith(self.path + "."))
        ]
        self.problems.show_findings(mine)
        self.setProperty("severity", self.problems.property("severity") or "")
        self.style().unpolish(self)
        self.style().polish(self)
        if isinstance(self.editor, GroupEditor):
            self.editor.show_findings(findings)


class GroupRow(QGroupBox):
    removed = Signal(object)

    def __init__(
        self, definition: FormDefinition, group: FieldDef, index: int, on_change: Callable[[], None]
    ) -> None:
        super().__init__()
        self.group = group
        self.rows: list[FieldRow] = []
        layout = QVBoxLayout(self)
        for sub in group.fields:
            row = FieldRow(definition, sub, "")
            row.changed.connect(on_change)
            self.rows.append(row)
            layout.addWidget(row)
        self.remove_button = QPushButton("Remove this row")
        self.remove_button.clicked.connect(lambda: self.removed.emit(self))
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)
        self.set_index(index)

    def set_index(self, index: int) -> None:
        self.index = index
        name = f"{self.group.row_label or 'Row'} {index + 1}"  # "Filing 2", as Review says
        self.setTitle(name)
        self.remove_button.setAccessibleName(f"Remove {name.lower()} of {self.group.label}")
        for r in self.rows:
            r.path = f"{self.group.id}[{index}].{r.field.id}"

    def value(self) -> dict[str, Any]:
        out = {}
        for r in self.rows:
            v = r.editor.value()
            if v is not None:
                out[r.field.id] = v
        return out


class GroupEditor(Editor):
    """A repeating group: rows of sub-field editors, with Add and Remove."""

    def __init__(
        self, definition: FormDefinition, field: FieldDef, parent: QWidget | None = None
    ) -> None:
        super().__init__(field, parent)
        self.definition = definition
        self.row_boxes: list[GroupRow] = []
        self._extra: list[dict[str, Any]] = []  # row keys the editors do not know: kept
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel("No rows yet.")
        self.empty.setObjectName("hint")
        self.box.addWidget(self.empty)
        self.add_button = QPushButton(f"Add a row to “{field.label}”")
        self.add_button.clicked.connect(self.add_row)
        self.box.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.setFocusProxy(self.add_button)
        self._values: dict[str, Any] = {}

    def add_row(self) -> GroupRow:
        if self.field.max_rows is not None and len(self.row_boxes) >= self.field.max_rows:
            return self.row_boxes[-1]
        row = GroupRow(self.definition, self.field, len(self.row_boxes), self._emit_rows)
        row.removed.connect(self._remove)
        self.box.insertWidget(self.box.count() - 1, row)
        self.row_boxes.append(row)
        self._extra.append({})
        self._refresh()
        if not self._loading:
            self.changed.emit()
            if row.rows:
                row.rows[0].editor.setFocus()
        return row

    def _remove(self, row: GroupRow) -> None:
        i = self.row_boxes.index(row)
        self.row_boxes.pop(i)
        self._extra.pop(i)
        row.setParent(None)
        row.deleteLater()
        for j, r in enumerate(self.row_boxes):
            r.set_index(j)
        self._refresh()
        self.changed.emit()

    def _emit_rows(self) -> None:
        self.update_rows(self._values)
        self._emit()

    def _refresh(self) -> None:
        self.empty.setVisible(not self.row_boxes)
        full = self.field.max_rows is not None and len(self.row_boxes) >= self.field.max_rows
        self.add_button.setEnabled(not full)
        self.update_rows(self._values)

    def update_rows(self, values: dict[str, Any]) -> None:
        self._values = values
        for box in self.row_boxes:
            row_value = box.value()
            for r in box.rows:
                r.update_state(values, row_value)

    def show_findings(self, findings: list[Finding]) -> None:
        for box in self.row_boxes:
            for r in box.rows:
                r.show_findings(findings)

    def value(self) -> list[dict[str, Any]] | None:
        rows = [
            {**extra, **box.value()} for box, extra in zip(self.row_boxes, self._extra, strict=True)
        ]
        return rows or None

    def _show(self, value: Any) -> None:
        for box in list(self.row_boxes):
            box.setParent(None)
            box.deleteLater()
        self.row_boxes.clear()
        self._extra.clear()
        for row_value in value if isinstance(value, list) else []:
            box = self.add_row()
            known = {r.field.id for r in box.rows}
            row_value = row_value if isinstance(row_value, dict) else {}
            self._extra[-1] = {k: v for k, v in row_value.items() if k not in known}
            for r in box.rows:
                r.editor.set_value(row_value.get(r.field.id))
        self._refresh()
