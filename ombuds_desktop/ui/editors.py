"""One editor widget per field type of the form definition.

Every editor has the same small interface: ``value()`` returns the answer in
the draft's plain-data form, ``set_value()`` shows one, and the ``changed``
signal fires on every edit.  Editors never validate: they normalise what is
typed (upper-case receipt numbers, digits-only A-Numbers) and leave the rules
to :mod:`ombuds_desktop.validation`.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ombuds_desktop import identifiers
from ombuds_desktop.dates import DateFormatError, format_us, parse_us, try_iso
from ombuds_desktop.formdef.model import FieldDef
from ombuds_desktop.geo import countries, us_states

_LONG_WORD = re.compile(r"\S{30,}")


def breakable(text: str) -> str:
    """``text`` with a zero-width space every 24 characters of a very long word.

    Messages quote what was typed; a 300-character "word" in a label would otherwise
    make the page (and the window) as wide as the word.  Only for display.
    """

    def cut(match: re.Match[str]) -> str:
        word = match.group(0)
        return "\u200b".join(word[i : i + 24] for i in range(0, len(word), 24))

    return _LONG_WORD.sub(cut, text)


class WheelGuard(QObject):
    """The mouse wheel scrolls the page; it changes a list box or spin box only when
    the user clicked into that control and it still has the focus.

    Without this, scrolling a long section turns every list box that passes under the
    pointer (a Country became Vanuatu).  The wheel event is handed to the enclosing
    scroll area, so the page scrolls as the user meant.
    """

    CLICKED = "_wheel_clicked"

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            _control_of(obj).setProperty(self.CLICKED, True)
        elif kind == QEvent.Type.FocusOut:
            _control_of(obj).setProperty(self.CLICKED, False)
        elif kind == QEvent.Type.Wheel and isinstance(obj, QWidget):
            control = _control_of(obj)
            allowed = (
                isinstance(control, _WHEEL_TYPES)
                and control.hasFocus()
                and control.property(self.CLICKED)
            )
            if allowed and control is obj:
                return False
            # Hand the turn on explicitly (an event Qt passes to a parent by itself is
            # only a real wheel's, never a synthesised one).
            target = control if allowed else _scroll_area_of(control)
            if isinstance(target, QAbstractScrollArea):
                target = target.viewport()
            if target is not None:
                QApplication.sendEvent(target, event)
            return True
        return False


_GUARD: WheelGuard | None = None
_WHEEL_TYPES = (QComboBox, QAbstractSpinBox)
#: Never changed by the wheel, but the turn must still reach the page behind them.
_PASS_TYPES = (QRadioButton, QCheckBox)


def _control_of(obj: QObject) -> QWidget:
    """The list box an editable list box's line edit belongs to (or ``obj`` itself)."""
    parent = obj.parent()
    if isinstance(obj, QLineEdit) and isinstance(parent, _WHEEL_TYPES):
        return parent
    return obj  # type: ignore[return-value]


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, QComboBox):
            return parent
        parent = parent.parentWidget()
    return None


def guard_wheel(root: QWidget) -> None:
    """Protect every list box and spin box in ``root`` (and ``root``) from stray wheel turns."""
    global _GUARD
    if _GUARD is None:
        _GUARD = WheelGuard(QApplication.instance())
    kinds = _WHEEL_TYPES + _PASS_TYPES
    controls: list[QWidget] = [root] if isinstance(root, kinds) else []
    controls += [w for t in kinds for w in root.findChildren(t)]
    for control in controls:
        if control.property("_wheel_guarded"):
            continue
        control.setProperty("_wheel_guarded", True)
        control.installEventFilter(_GUARD)
        if isinstance(control, _PASS_TYPES):
            continue
        control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a wheel turn never gives focus
        inner = control.lineEdit() if isinstance(control, QComboBox) else None
        if inner is None and isinstance(control, QAbstractSpinBox):
            inner = control.findChild(QLineEdit)
        if inner is not None:
            inner.installEventFilter(_GUARD)


class RadioKeys(QObject):
    """Keyboard for a group of radio buttons, as in native radio groups.

    One Tab stop per group (the chosen button, or the first one); the arrow keys move
    the choice inside the group; Space chooses the focused button.  Without this, Tab
    left a Yes/No question and the arrow keys never reached "No".
    """

    def __init__(self, buttons: list[QAbstractButton], parent: QObject) -> None:
        super().__init__(parent)
        self.buttons = buttons
        for b in buttons:
            b.installEventFilter(self)
            b.toggled.connect(self.update_tab_stop)
        self.update_tab_stop()

    def update_tab_stop(self, *_: object) -> None:
        sender = self.sender()
        current: QAbstractButton | None
        if isinstance(sender, QAbstractButton) and sender in self.buttons and sender.isChecked():
            current = sender  # the other one may not be unchecked yet
        else:
            current = next((b for b in self.buttons if b.isChecked()), None)
        current = current or (self.buttons[0] if self.buttons else None)
        for b in self.buttons:
            policy = Qt.FocusPolicy.StrongFocus if b is current else Qt.FocusPolicy.ClickFocus
            if b.focusPolicy() != policy:
                b.setFocusPolicy(policy)
        owner = self.parent()
        if current is not None and isinstance(owner, QWidget) and owner.focusProxy() is not current:
            owner.setFocusProxy(current)  # jumping to the question lands on its answer

    def current(self) -> QAbstractButton | None:
        return next(
            (b for b in self.buttons if b.focusPolicy() == Qt.FocusPolicy.StrongFocus), None
        )

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.KeyPress or obj not in self.buttons:
            return False
        key = event.key()  # type: ignore[attr-defined]
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:  # type: ignore[attr-defined]
            return False  # Alt+Right is "next section", not "next option"
        step = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Left: -1,
        }.get(key)
        if step is None:
            return False
        visible = [b for b in self.buttons if b.isVisible() and b.isEnabled()] or self.buttons
        here = visible.index(obj) if obj in visible else 0
        target = visible[(here + step) % len(visible)]
        target.setFocus(Qt.FocusReason.TabFocusReason)
        if not target.isChecked():
            target.click()
        return True


class Editor(QWidget):
    """Base class: a field editor with ``value()``, ``set_value()`` and ``changed``."""

    changed = Signal()

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._loading = False

    def value(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False

    def _show(self, value: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _emit(self, *_: object) -> None:
        if not self._loading:
            self.changed.emit()

    def set_accessible(self, name: str, description: str = "") -> None:
        """Name every control after its question; a button keeps its own words too
        ("Is the problem with USCIS?: No"), so a screen reader says both."""
        for w in self.findChildren(QWidget):
            if not w.accessibleName():
                text = w.text() if isinstance(w, QAbstractButton) else ""
                w.setAccessibleName(f"{name}: {text}" if text else name)
            if description and not w.accessibleDescription():
                w.setAccessibleDescription(description)


def _line(placeholder: str = "") -> QLineEdit:
    line = QLineEdit()
    line.setPlaceholderText(placeholder)
    # A field's own limit is not QLineEdit's: that cuts a paste silently (and its default
    # cuts at 32,767).  What is too long is kept and the field's check says "at most N
    # characters; this has M", as for long texts.
    line.setMaxLength(1_000_000)
    line.setClearButtonEnabled(True)
    return line


def _row(*widgets: QWidget) -> QHBoxLayout:
    box = QHBoxLayout()
    box.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        box.addWidget(w)
    return box


class TextEditor(Editor):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line = _line()
        if field.suggestions:
            completer = QCompleter(list(field.suggestions), self.line)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.line.setCompleter(completer)
        self.line.textChanged.connect(self._emit)
        self.setLayout(_row(self.line))
        self.setFocusProxy(self.line)

    def value(self) -> str | None:
        return self.line.text() or None

    def _show(self, value: Any) -> None:
        self.line.setText("" if value is None else str(value))


class IdentifierEditor(TextEditor):
    """Receipt numbers, A-Numbers, account numbers: normalised as the user types."""

    PLACEHOLDERS = {
        "receipt_number": "e.g. EAC2190012345",
        "a_number": "e.g. A123-456-789",
        "uscis_account": "12 digits",
        "srmt_number": "as USCIS gave it",
    }

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line.setPlaceholderText(self.PLACEHOLDERS.get(field.type, ""))
        self.line.textEdited.connect(self._normalise_typing)
        self.line.editingFinished.connect(self._normalise_final)

    def _normalise_typing(self, text: str) -> None:
        upper = text.upper() if self.field.type in ("receipt_number", "srmt_number") else text
        if upper != text:
            pos = self.line.cursorPosition()
            self.line.setText(upper)
            self.line.setCursorPosition(pos)

    def _normalise_final(self) -> None:
        text = self.line.text()
        normaliser = identifiers.NORMALIZERS.get(self.field.type)
        if text and normaliser:
            checked = identifiers.CHECKERS[self.field.type](text)
            if checked.ok and checked.value != text:
                self.line.setText(checked.value)

    def value(self) -> str | None:
        text = self.line.text().strip()
        if not text:
            return None
        checked = identifiers.CHECKERS[self.field.type](text)
        return checked.value if checked.ok else text

    def _show(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.field.type == "a_number" and text:
            text = identifiers.format_a_number(text)
        self.line.setText(text)


class LongTextEditor(Editor):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(110 if (field.pdf_lines or 0) < 8 else 200)
        self.counter = QLabel()
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.counter.setObjectName("hint")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.text)
        box.addWidget(self.counter)
        self.text.textChanged.connect(self._on_change)
        self.setFocusProxy(self.text)
        self._update_counter()

    def _on_change(self) -> None:
        self._update_counter()
        self._emit()

    def _update_counter(self) -> None:
        n = len(self.text.toPlainText())
        limit = f" of {self.field.max_length}" if self.field.max_length else ""
        self.counter.setText(f"{n}{limit} characters")

    def value(self) -> str | None:
        return self.text.toPlainText() or None

    def _show(self, value: Any) -> None:
        self.text.setPlainText("" if value is None else str(value))


class DateEditor(Editor):
    """Typed as mm/dd/yyyy, or picked from a calendar; stored as ISO."""

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line = _line("mm/dd/yyyy")
        self.line.setMaximumWidth(150)
        self.pick = QToolButton()
        self.pick.setText("Calendar…")
        self.pick.setToolTip("Pick the date from a calendar")
        self.pick.setAccessibleName(f"{field.label}: pick from a calendar")
        self.pick.clicked.connect(self._pick)
        self.problem = QLabel()
        self.problem.setObjectName("hint")
        # Whatever is typed, the hint never makes the row wider than the page.
        self.problem.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = _row(self.line, self.pick, self.problem)
        layout.addStretch(1)
        self.setLayout(layout)
        self.line.textChanged.connect(self._on_text)
        self.setFocusProxy(self.line)

    def _on_text(self, text: str) -> None:
        self.problem.setText("")
        if text.strip() and text.count("/") == 2 and len(text.strip()) >= 8:
            try:
                parse_us(text)
            except DateFormatError as exc:
                self.problem.setText(breakable(str(exc)))
        self.problem.setToolTip(self.problem.text())
        self._emit()

    def _pick(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.field.label)
        calendar = QCalendarWidget(dialog)
        calendar.setGridVisible(True)
        current = try_iso(self.value())
        if current:
            calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        calendar.activated.connect(dialog.accept)
        calendar.clicked.connect(dialog.accept)
        QVBoxLayout(dialog).addWidget(calendar)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            d = calendar.selectedDate()
            self.line.setText(f"{d.month():02d}/{d.day():02d}/{d.year():04d}")

    def value(self) -> str | None:
        text = self.line.text().strip()
        if not text:
            return None
        try:
            return parse_us(text).isoformat()
        except DateFormatError:
            return text  # kept as typed; validation explains what is wrong

    def _show(self, value: Any) -> None:
        self.line.setText(format_us(value) if value else "")


class YesNoEditor(Editor):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.yes, self.no = QRadioButton("Yes"), QRadioButton("No")
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # lets set_value(None) clear both
        for b in (self.yes, self.no):
            self.group.addButton(b)
        self.group.buttonToggled.connect(self._toggled)
        layout = _row(self.yes, self.no)
        layout.addStretch(1)
        self.setLayout(layout)
        self.keys = RadioKeys([self.yes, self.no], self)
        self.setFocusProxy(self.yes)

    def _toggled(self, button: QAbstractButton, checked: bool) -> None:
        if checked:
            other = self.no if button is self.yes else self.yes
            other.blockSignals(True)
            other.setChecked(False)
            other.blockSignals(False)
        self._emit()

    def value(self) -> bool | None:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None

    def _show(self, value: Any) -> None:
        self.yes.setChecked(value is True)
        self.no.setChecked(value is False)


class ChoiceEditor(Editor):
    """Single choice: radio buttons for short lists (as on paper), a list box otherwise."""

    RADIO_LIMIT = 6

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.buttons: dict[str, QRadioButton] = {}
        self.combo: QComboBox | None = None
        if len(field.options) <= self.RADIO_LIMIT:
            self.group = QButtonGroup(self)
            box = QVBoxLayout(self)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            for opt in field.options:
                b = QRadioButton(opt.label)
                self.buttons[opt.id] = b
                self.group.addButton(b)
                box.addWidget(b)
            self.group.buttonToggled.connect(lambda *_: self._emit())
            self.keys = RadioKeys(list(self.buttons.values()), self)
            if field.options:
                self.setFocusProxy(self.buttons[field.options[0].id])
        else:
            self.combo = QComboBox()
            self.combo.addItem("— choose —", None)
            for opt in field.options:
                self.combo.addItem(opt.label, opt.id)
            self.combo.currentIndexChanged.connect(self._emit)
            self.setLayout(_row(self.combo))
            self.setFocusProxy(self.combo)

    def value(self) -> str | None:
        if self.combo is not None:
            return self.combo.currentData()
        return next((oid for oid, b in self.buttons.items() if b.isChecked()), None)

    def _show(self, value: Any) -> None:
        if self.combo is not None:
            index = self.combo.findData(value)
            self.combo.setCurrentIndex(max(index, 0))
            return
        self.group.setExclusive(False)
        for oid, b in self.buttons.items():
            b.setChecked(oid == value)
        self.group.setExclusive(True)


class MultiChoiceEditor(Editor):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.boxes: dict[str, QCheckBox] = {}
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        for opt in field.options:
            cb = QCheckBox(opt.label)
            cb.toggled.connect(self._toggled)
            self.boxes[opt.id] = cb
            box.addWidget(cb)
        if field.options:
            self.setFocusProxy(self.boxes[field.options[0].id])

    def _toggled(self, checked: bool) -> None:
        exclusive = self.field.exclusive_option
        sender = self.sender()
        if exclusive and checked and not self._loading:
            self._loading = True
            for oid, cb in self.boxes.items():
                if (sender is self.boxes.get(exclusive)) != (oid == exclusive):
                    cb.setChecked(False)
            self._loading = False
        self._emit()

    def value(self) -> list[str] | None:
        chosen = [oid for oid, cb in self.boxes.items() if cb.isChecked()]
        return chosen or None

    def _show(self, value: Any) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for oid, cb in self.boxes.items():
            cb.setChecked(oid in chosen)


class _PartsEditor(Editor):
    """Composite values (names, addresses): one line edit per part."""

    PARTS: tuple[tuple[str, str], ...] = ()

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.lines: dict[str, QLineEdit] = {}

    def _make(self, key: str, label: str) -> QLineEdit:
        line = _line(label)
        line.setAccessibleName(f"{self.field.label}: {label}")
        line.textChanged.connect(self._emit)
        self.lines[key] = line
        return line

    def value(self) -> dict[str, str] | None:
        out = {k: w.text().strip() for k, w in self.lines.items()}
        return out if any(out.values()) else None

    def _show(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        for k, w in self.lines.items():
            w.setText(str(value.get(k) or ""))


class PersonNameEditor(_PartsEditor):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for col, (key, label) in enumerate(
            (("family", "Family name"), ("given", "Given name"), ("middle", "Middle name"))
        ):
            grid.addWidget(QLabel(label), 0, col)
            grid.addWidget(self._make(key, label), 1, col)
        self.setFocusProxy(self.lines["family"])


class AddressEditor(_PartsEditor):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("Street"), 0, 0, 1, 3)
        grid.addWidget(self._make("street", "Street and number"), 1, 0, 1, 2)
        grid.addWidget(self._make("unit", "Apt / suite"), 1, 2)
        grid.addWidget(QLabel("City"), 2, 0)
        grid.addWidget(QLabel("State / province"), 2, 1)
        grid.addWidget(QLabel("ZIP / postal code"), 2, 2)
        grid.addWidget(self._make("city", "City"), 3, 0)
        grid.addWidget(self._make("state", "State (e.g. NY)"), 3, 1)
        grid.addWidget(self._make("postal_code", "ZIP / postal code"), 3, 2)
        grid.addWidget(QLabel("Country"), 4, 0)
        self.country = CountryCombo()
        self.country.setAccessibleName(f"{field.label}: country")
        self.country.currentIndexChanged.connect(self._emit)
        grid.addWidget(self.country, 5, 0, 1, 2)
        state_completer = QCompleter(list(us_states()), self)
        state_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.lines["state"].setCompleter(state_completer)
        self.lines["state"].textEdited.connect(self._upper_state)
        self.setFocusProxy(self.lines["street"])

    def _upper_state(self, text: str) -> None:
        if len(text) <= 2 and text != text.upper():
            self.lines["state"].setText(text.upper())

    def value(self) -> dict[str, str] | None:
        out = super().value()
        if out is None:
            return None
        out["country"] = self.country.code() or "US"
        return out

    def _show(self, value: Any) -> None:
        super()._show(value)
        code = value.get("country") if isinstance(value, dict) else None
        self.country.set_code(code or "US")


class CountryCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem("", None)
        for code, name in countries():
            self.addItem(f"{name} ({code})", code)
        completer = self.completer()
        if completer is not None:  # setEditable(True) made one
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def code(self) -> str | None:
        return self.currentData()

    def set_code(self, code: str | None) -> None:
        self.setCurrentIndex(max(self.findData(code.upper() if code else None), 0))


class _ComboEditor(Editor):
    """A list box whose items carry the stored codes (countries, states)."""

    def __init__(self, field: FieldDef, combo: QComboBox, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = combo
        self.combo.currentIndexChanged.connect(self._emit)
        layout = _row(self.combo)
        layout.addStretch(1)
        self.setLayout(layout)
        self.setFocusProxy(self.combo)

    def value(self) -> str | None:
        return self.combo.currentData()

    def _show(self, value: Any) -> None:
        code = value.upper() if isinstance(value, str) else value
        self.combo.setCurrentIndex(max(self.combo.findData(code), 0))


class CountryEditor(_ComboEditor):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, CountryCombo(), parent)


class StateEditor(_ComboEditor):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        combo = QComboBox()
        combo.addItem("— choose —", None)
        for code, name in us_states().items():
            combo.addItem(f"{name} ({code})", code)
        super().__init__(field, combo, parent)


class SignatureLine(Editor):
    """A signature is never entered in the app: it is signed by hand on paper."""

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        note = QLabel(
            "Signed by hand, in ink, on the printed page. Ombuds Desktop never creates a signature."
        )
        note.setWordWrap(True)
        note.setObjectName("hint")
        self.setLayout(_row(note))

    def value(self) -> None:
        return None

    def _show(self, value: Any) -> None:
        pass


class MirrorLabel(Editor):
    """Shows the answer of the field this one mirrors (e.g. Section 7's role)."""

    def __init__(self, field: FieldDef, source: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.source = source
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.setLayout(_row(self.label))

    def value(self) -> None:
        return None

    def _show(self, value: Any) -> None:
        if isinstance(value, list):
            text = ", ".join(self.source.option_label(v) for v in value)
        else:
            text = self.source.option_label(value) if value else "(not answered yet)"
        self.label.setText(f"{text}  — answered in “Before you file”")


SIMPLE_EDITORS: dict[str, type[Editor]] = {
    "text": TextEditor,
    "organisation_name": TextEditor,
    "phone": TextEditor,
    "email": TextEditor,
    "long_text": LongTextEditor,
    "date": DateEditor,
    "yes_no": YesNoEditor,
    "single_choice": ChoiceEditor,
    "multiple_choice": MultiChoiceEditor,
    "person_name": PersonNameEditor,
    "address": AddressEditor,
    "country": CountryEditor,
    "us_state": StateEditor,
    "receipt_number": IdentifierEditor,
    "a_number": IdentifierEditor,
    "uscis_account": IdentifierEditor,
    "srmt_number": IdentifierEditor,
    "signature": SignatureLine,
}
