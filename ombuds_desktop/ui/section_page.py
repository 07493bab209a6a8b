"""One wizard page per section of the form definition, generated, never hand-built."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef.model import FieldDef, FormDefinition, Section
from ombuds_desktop.ui.editors import guard_wheel
from ombuds_desktop.ui.field_row import FieldRow, ProblemLabel
from ombuds_desktop.validation import Finding

#: Builds the editor of a field type the generic rows cannot handle (attachments).
SpecialFactory = Callable[[FieldDef], QWidget]


class SectionPage(QScrollArea):
    """Shows a section's fields; ``load`` / ``collect`` move answers in and out of a draft."""

    changed = Signal()

    def __init__(
        self,
        definition: FormDefinition,
        section: Section,
        special: dict[str, SpecialFactory] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.definition = definition
        self.section = section
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(section.heading)
        body = QWidget()
        body.setObjectName("sectionBody")
        self.layout_ = QVBoxLayout(body)
        self.layout_.setContentsMargins(18, 12, 18, 18)
        self.layout_.setSpacing(2)  # each field reserves room for its messages below it
        title = QLabel(section.heading)
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        title.setAccessibleName(section.heading)
        self.layout_.addWidget(title)
        if section.intro:
            intro = QLabel(section.intro)
            intro.setWordWrap(True)
            self.layout_.addWidget(intro)
        if section.printed and "reconstructed" in (section.provenance, section.fields_provenance):
            note = QLabel(
                "Some questions in this section are reconstructed by Ombuds Desktop "
                "from official descriptions; check them against the official form."
            )
            note.setWordWrap(True)
            note.setObjectName("hint")
            self.layout_.addWidget(note)
        # Texts that change as the user answers never push a field away from under the
        # pointer: the screener's verdict keeps the height of its longest wording, its
        # reasons and the section's own messages go below the questions.
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Screener outcome")
        self.outcome.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.outcome.hide()
        self.layout_.addWidget(self.outcome)
        self.outcome_texts: tuple[str, ...] = ()
        self.outcome_reasons = QLabel()
        self.outcome_reasons.setWordWrap(True)
        self.outcome_reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome_reasons.setAccessibleName("Reasons for the screener outcome")
        self.outcome_reasons.hide()
        self.section_problems = ProblemLabel()
        self.section_problems.setAccessibleName("Problems in this section")
        self.section_notes = ProblemLabel()
        self.section_notes.setObjectName("notes")
        self.section_notes.setAccessibleName("Notes on this section")
        self.rows: list[FieldRow] = []
        self.special: dict[str, QWidget] = {}
        for f in section.fields:
            if f.type == "attachments":
                factory = (special or {}).get("attachments")
                if factory is not None:
                    widget = factory(f)
                    self.special[f.id] = widget
                    self.layout_.addWidget(widget)
                    guard_wheel(widget)
                    changed = getattr(widget, "changed", None)
                    if changed is not None:  # rows added later get the guard too
                        changed.connect(lambda w=widget: guard_wheel(w))
                continue
            row = FieldRow(definition, f, f.id)
            row.changed.connect(self.changed)
            self.rows.append(row)
            self.layout_.addWidget(row)
        self.layout_.addWidget(self.outcome_reasons)
        self.layout_.addWidget(self.section_problems)
        self.layout_.addWidget(self.section_notes)
        self.layout_.addStretch(1)
        self.setWidget(body)

    def fit(self) -> None:
        """Give the page body the height its wrapped texts need at this width.

        QScrollArea sizes its widget without height-for-width, so without this,
        rows with long problem messages would be squeezed and overlap.
        """
        body = self.widget()
        if body is None:
            return
        self._reserve_outcome()
        layout = body.layout()
        if layout is None:
            return
        width = self.viewport().width()
        needed = layout.heightForWidth(width) if layout.hasHeightForWidth() else -1
        body.setMinimumHeight(max(needed, layout.minimumSize().height()))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fit()

    def load(self, draft: Draft) -> None:
        for row in self.rows:
            source = row.field.mirror or row.field.id
            row.editor.set_value(draft.values.get(source))
        self.update_state(draft.values)

    def collect(self, values: dict[str, Any]) -> None:
        """Write this page's answers into ``values`` (cleared answers are removed)."""
        for row in self.rows:
            if row.field.mirror or row.field.type == "signature":
                continue
            v = row.editor.value()
            if v is None:
                values.pop(row.field.id, None)
            else:
                values[row.field.id] = v

    def update_state(self, values: dict[str, Any]) -> None:
        for row in self.rows:
            if row.field.mirror:
                row.editor.set_value(values.get(row.field.mirror))
            row.update_state(values)
        self.fit()

    def show_findings(self, findings: list[Finding]) -> None:
        mine = [f for f in findings if f.section == self.section.id]
        for row in self.rows:
            row.show_findings(mine)
        for widget in self.special.values():
            show = getattr(widget, "show_findings", None)
            if show:
                show(mine)
        claimed = {row.path for row in self.rows}
        loose = [
            f
            for f in mine
            if f.field is None
            or (
                f.field not in claimed
                and not any(
                    f.field.startswith(p + ".") or f.field.startswith(p + "[") for p in claimed
                )
                and not any(
                    f.field == p or f.field.startswith(p + ".") or f.field.startswith(p + "[")
                    for p in self.special
                )
            )
        ]
        self.section_problems.show_findings([f for f in loose if f.severity != "info"])
        self.section_notes.show_findings([f for f in loose if f.severity == "info"])
        self.fit()

    def _reserve_outcome(self) -> None:
        """The verdict box is as tall as its longest possible wording at this width."""
        if not self.outcome_texts or self.outcome.isHidden():
            return
        margins = self.outcome.contentsMargins()
        width = self.viewport().width() - 36 - margins.left() - margins.right() - 20
        metrics = QFontMetrics(self.outcome.font())
        flags = int(Qt.TextFlag.TextWordWrap)
        tallest = max(
            metrics.boundingRect(QRect(0, 0, max(width, 50), 100000), flags, t).height()
            for t in self.outcome_texts
        )
        height = tallest + margins.top() + margins.bottom() + 20
        if self.outcome.minimumHeight() != height:
            self.outcome.setFixedHeight(height)

    def show_outcome(
        self, text: str, severity: str, reasons: str = "", texts: tuple[str, ...] = ()
    ) -> None:
        """The screener's verdict, at the top of the "Before you file" page."""
        self.outcome.setText(text)
        self.outcome_texts = texts or (text,)
        self.outcome_reasons.setText(reasons)
        self.outcome_reasons.setVisible(bool(reasons))
        self.outcome.setProperty("severity", severity)
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        self.outcome.show()
        self._reserve_outcome()

    def row_for(self, path: str) -> QWidget | None:
        """The widget showing ``path`` (for "jump to the field" from the review list)."""
        for row in self.rows:
            if (
                path == row.path
                or path.startswith(row.path + ".")
                or path.startswith(row.path + "[")
            ):
                return row
        for fid, widget in self.special.items():
            if path.startswith(fid):
                return widget
        return None

    def focus_path(self, path: str) -> None:
        widget = self.row_for(path)
        if widget is None:
            return
        self.ensureWidgetVisible(widget, 40, 40)
        target = widget.editor if isinstance(widget, FieldRow) else widget
        target.setFocus(Qt.FocusReason.OtherFocusReason)
