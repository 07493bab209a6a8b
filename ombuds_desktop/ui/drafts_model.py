"""The table of drafts on the home window (decrypted summaries, in memory only)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

if TYPE_CHECKING:
    from ombuds_desktop.vault import DraftSummary

COLUMNS = (
    "Client",
    "Forms and receipt numbers",
    "Status",
    "Family group",
    "Last changed",
    "Submitted on",
    "Submitted by",
    "Ombudsman request number",
)
METHOD_TEXT = {"online": "Online", "email": "E-mail", "mail": "Mail"}
STATUS_TEXT = {"draft": "Draft", "ready": "Ready", "submitted": "Submitted", "resolved": "Resolved"}


def us_date(iso: str) -> str:
    from ombuds_desktop.dates import format_us, try_iso

    when = try_iso(iso) if iso else None
    return format_us(when) if when else ""


def local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%m/%d/%Y %H:%M")
    except (TypeError, ValueError):
        return iso or ""


class DraftsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[DraftSummary] = []
        self.family_names: dict[str, str] = {}

    def set_rows(self, rows: list[DraftSummary]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        groups: dict[str, list[str]] = {}
        for r in self.rows:
            if r.family_group:
                groups.setdefault(r.family_group, []).append(r.client)
        self.family_names = {
            g: f"Family of {sorted(n for n in names if n)[0]}" if any(names) else "Family group"
            for g, names in groups.items()
        }
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                name = r.client or "(no name yet)"
                return f"⚠ {name} (damaged)" if getattr(r, "damaged", False) else name
            if col == 1:
                return r.forms_and_receipts
            if col == 2:
                return STATUS_TEXT.get(r.status, r.status)
            if col == 3:
                return self.family_names.get(r.family_group, "") if r.family_group else ""
            if col == 4:
                return local_time(r.updated)
            if col == 5:
                return us_date(getattr(r, "submitted_on", ""))
            if col == 6:
                method = getattr(r, "submitted_by", "")
                return METHOD_TEXT.get(method, method)
            if col == 7:
                return getattr(r, "request_number", "")
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role == Qt.ItemDataRole.UserRole + 1:  # sort key
            return (
                r.client.casefold(),
                r.forms_and_receipts,
                r.status,
                self.family_names.get(r.family_group or "", ""),
                r.updated,
                getattr(r, "submitted_on", ""),
                getattr(r, "submitted_by", ""),
                getattr(r, "request_number", ""),
            )[col]
        return None

    def draft_id(self, row: int) -> str:
        return self.rows[row].id
