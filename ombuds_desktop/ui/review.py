"""Review and build: every finding grouped by section, the screener's outcome,
and the buttons that build the packet and print the signature page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ombuds_desktop.draft import facts
from ombuds_desktop.ui.field_row import SEVERITY_ICON, SEVERITY_WORD
from ombuds_desktop.validation.acknowledge import (
    is_acknowledged,
    set_acknowledged,
    unacknowledged_warnings,
)

#: Item data holding the warning a check acknowledges.
ACK_ROLE = Qt.ItemDataRole.UserRole + 1

if TYPE_CHECKING:
    from ombuds_desktop.ui.draft_window import DraftWindow


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the column's width: nothing ends in "…"."""

    PAD = 8

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree

    def text_width(self, index: QModelIndex | QPersistentModelIndex) -> int:
        width = self.tree.columnWidth(index.column())
        if index.column() == 0:
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= self.tree.indentation() * (depth + 1)
        return max(width - 2 * self.PAD, 40)

    def initStyleOption(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideNone

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        text = str(index.data() or "")
        width = self.text_width(index)
        rect = option.fontMetrics.boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        base = super().sizeHint(option, index)
        return QSize(base.width(), max(base.height(), rect.height() + self.PAD))


class ReviewPage(QWidget):
    jump = Signal(str, object)  # section id, field path or None

    def __init__(self, window: DraftWindow) -> None:
        super().__init__()
        # Not ``window``: that attribute would hide QWidget.window() (the top-level window).
        self.draft_window = window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        title = QLabel("Review and build")
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setObjectName("outcome")
        self.outcome.setAccessibleName("Screener outcome")
        layout.addWidget(self.outcome)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        for label in (self.outcome, self.summary):  # never squeezed under the list
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Finding", "Where"])
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.sectionResized.connect(lambda *_: self.tree.doItemsLayout())
        self.tree.setAccessibleName("Findings grouped by section; press Enter to go to one")
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.tree.itemChanged.connect(self._acknowledge_changed)
        layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.build_button = QPushButton("Build packet…")
        self.build_button.setToolTip("Build the PDF packet in the background (Ctrl+B)")
        self.signature_button = QPushButton("Print the signature page…")
        self.signature_button.setToolTip("The Section 9 page for the client to sign in ink")
        buttons.addWidget(self.build_button)
        buttons.addWidget(self.signature_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """ "Where" gets a third of the width; both columns wrap, none is cut off."""
        width = self.tree.viewport().width()
        if width > 0:
            self.tree.setColumnWidth(1, max(180, width // 3))
        self.tree.doItemsLayout()

    def refresh(self) -> None:
        w = self.draft_window
        findings = w.findings
        result = w.screener()
        self.outcome.setText(f"Before you file: {result.text}")
        self.outcome.setProperty(
            "severity",
            {"proceed": "info", "caution": "warning", "not-screened-yet": "info"}.get(
                result.outcome, "error"
            ),
        )
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        self._update_summary()
        self.tree.blockSignals(True)  # filling the list is not the user ticking warnings
        self.tree.clear()
        for section in w.definition.sections:
            mine = [f for f in findings if f.section == section.id]
            if not mine:
                continue
            name = section.heading if section.number else section.title
            parent = QTreeWidgetItem([f"{name} ({len(mine)})", ""])
            parent.setData(0, Qt.ItemDataRole.UserRole, (section.id, None))
            self.tree.addTopLevelItem(parent)
            for f in mine:
                item = QTreeWidgetItem(
                    [
                        f"{SEVERITY_ICON[f.severity]} {SEVERITY_WORD[f.severity]}: {f.message}",
                        w.definition.where(f.field, f.section) if f.field else "",
                    ]
                )
                item.setData(0, Qt.ItemDataRole.UserRole, (f.section, f.field))
                item.setToolTip(0, f.message)
                if f.severity == "warning":
                    item.setData(0, ACK_ROLE, f)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    done = is_acknowledged(f, w.draft)
                    item.setCheckState(
                        0, Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
                    )
                parent.addChild(item)
            parent.setExpanded(any(f.severity != "info" for f in mine))
        self._fit_columns()
        self.tree.blockSignals(False)

    def _update_summary(self) -> None:
        w = self.draft_window
        findings = w.findings
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = sum(1 for f in findings if f.severity == "warning")
        open_warnings = len(unacknowledged_warnings(findings, w.draft))
        wet_ink = facts.wet_ink_required(w.draft)
        lines = [f"{errors} error(s), {warnings} warning(s)."]
        submitted = getattr(w, "read_only", False)
        if submitted:
            lines = [
                w.submission_text(),
                "This draft is read-only, as it was sent: the packet can be built again "
                "to print or save it; to change anything, make a correction copy.",
            ]
        elif errors:
            lines.append(
                "Fix the errors to build the final packet; until then a draft copy "
                "can be built, marked “DRAFT - NOT READY TO FILE” on every page."
            )
        elif open_warnings:
            lines.append(
                f"Read each warning and tick it to acknowledge it ({open_warnings} left); "
                "the final packet is built once every warning is acknowledged."
            )
        else:
            lines.append("Ready to build the final packet.")
        if submitted:
            pass
        elif wet_ink and self._signed_scan_attached():
            lines.append("The scan of the Section 9 page signed in ink is attached.")
        elif wet_ink:
            lines.append(
                "This client signs Section 9 by hand in ink: print the signature "
                "page, have it signed, then attach the scan in Section 8."
            )
        self.summary.setText(" ".join(lines))
        if submitted:
            label = "Build the sent packet again…"
        else:
            label = "Build packet…" if not errors else "Build a draft packet…"
        self.build_button.setText(label)
        self.build_button.setMinimumWidth(self.build_button.sizeHint().width())

    def _acknowledge_changed(self, item: QTreeWidgetItem, column: int) -> None:
        """A ticked warning is acknowledged in the draft (and saved like any answer)."""
        finding = item.data(0, ACK_ROLE)
        if column != 0 or finding is None:
            return
        checked = item.checkState(0) == Qt.CheckState.Checked
        if checked == is_acknowledged(finding, self.draft_window.draft):
            return
        set_acknowledged(self.draft_window.draft, finding, checked)
        self._toggled = True  # the click that ticked it does not also jump away
        self.draft_window._schedule_save()
        self._update_summary()
        self.draft_window._update_nav()  # "Review and build: ready" once the last one is ticked

    def _signed_scan_attached(self) -> bool:
        from ombuds_desktop.packet.plan import SIGNED_SCAN_CATEGORIES

        return any(
            a.category in SIGNED_SCAN_CATEGORIES for a in self.draft_window.draft.attachments
        )

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        if getattr(self, "_toggled", False):
            self._toggled = False
            return
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if data:
            self.jump.emit(data[0], data[1])
