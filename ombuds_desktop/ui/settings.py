"""Settings: representative profiles (in the vault) and preferences (in QSettings)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ombuds_desktop.ui.dialogs import confirm, show_error

if TYPE_CHECKING:
    from ombuds_desktop.ui.app import AppState
    from ombuds_desktop.vault import RepresentativeProfile


class ProfileDialog(QDialog):
    """Edit one representative profile (name, firm, bar admissions, contact)."""

    def __init__(
        self, parent: QWidget | None, profile: RepresentativeProfile | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Representative profile")
        self.resize(560, 480)
        form = QFormLayout(self)
        self.name = QLineEdit(getattr(profile, "name", ""))
        self.name.setPlaceholderText("Given and family name, e.g. Samuel Okafor-Reyes")
        self.organization = QLineEdit(getattr(profile, "organization", ""))
        self.bar = QPlainTextEdit("\n".join(getattr(profile, "bar_admissions", []) or []))
        self.bar.setPlaceholderText("One per line: state code and bar number, e.g. NY 1234567")
        self.bar.setMaximumHeight(80)
        self.bar.setTabChangesFocus(True)
        self.accreditation = QLineEdit(getattr(profile, "accreditation", ""))
        self.accreditation.setPlaceholderText(
            "Recognized organization (accredited representatives)"
        )
        address = getattr(profile, "address", {}) or {}
        self.street = QLineEdit(address.get("street", ""))
        self.unit = QLineEdit(address.get("unit", ""))
        self.city = QLineEdit(address.get("city", ""))
        self.state = QLineEdit(address.get("state", ""))
        self.zip = QLineEdit(address.get("postal_code", ""))
        self.phone = QLineEdit(getattr(profile, "phone", ""))
        self.email = QLineEdit(getattr(profile, "email", ""))
        self.account = QLineEdit(getattr(profile, "uscis_account", ""))
        for label, widget in (
            ("Name:", self.name),
            ("Firm or organization:", self.organization),
            ("Bar admissions:", self.bar),
            ("Accreditation:", self.accreditation),
            ("Street:", self.street),
            ("Suite:", self.unit),
            ("City:", self.city),
            ("State:", self.state),
            ("ZIP:", self.zip),
            ("Phone:", self.phone),
            ("E-mail:", self.email),
            ("USCIS online account number:", self.account),
        ):
            widget.setAccessibleName(label.rstrip(":"))
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.profile = profile

    def _accept(self) -> None:
        if not self.name.text().strip():
            show_error(self, "Name needed", "Type the representative's name.")
            return
        problems = profile_problems(self._fields())
        if problems:
            show_error(
                self,
                "Check the profile",
                "The profile was not saved; it fills Section 10 of every new draft, so fix "
                "these first:\n\n" + "\n".join(f"• {p}" for p in problems),
            )
            return
        self.accept()

    def _fields(self) -> dict[str, Any]:
        return dict(
            name=self.name.text().strip(),
            organization=self.organization.text().strip(),
            bar_admissions=[
                line.strip() for line in self.bar.toPlainText().splitlines() if line.strip()
            ],
            accreditation=self.accreditation.text().strip(),
            address={
                "street": self.street.text().strip(),
                "unit": self.unit.text().strip(),
                "city": self.city.text().strip(),
                "state": self.state.text().strip().upper(),
                "postal_code": self.zip.text().strip(),
                "country": "US",
            },
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            uscis_account=self.account.text().strip(),
        )

    def result_profile(self) -> RepresentativeProfile:
        from ombuds_desktop.vault import RepresentativeProfile

        fields = self._fields()
        if self.profile is not None:
            for key, value in fields.items():
                setattr(self.profile, key, value)
            return self.profile
        return RepresentativeProfile(**fields)


def profile_problems(fields: dict[str, Any]) -> list[str]:
    """What is wrong in a profile, by the same field checks a draft's Section 10 gets.

    The profile's answers are checked as the Section 10 answers they become (the edition
    decides which fields and checks apply); a part left blank is allowed, since a
    profile may hold only some details, but what is typed must be valid.
    """
    from datetime import date

    from ombuds_desktop.draft.model import Draft
    from ombuds_desktop.draft.profiles import profile_values
    from ombuds_desktop.formdef import load_edition
    from ombuds_desktop.validation.fields import FieldChecker
    from ombuds_desktop.vault import RepresentativeProfile

    definition = load_edition()
    # The edition a new draft gets says which Section 10 fields the profile fills.
    values = profile_values(RepresentativeProfile(**fields), Draft(form=definition.key))
    address = fields.get("address") or {}
    if not any(str(v).strip() for k, v in address.items() if k != "country"):
        values.pop(next((k for k, v in values.items() if v == address), ""), None)
    out = []
    for field_id, value in values.items():
        field = definition.field(field_id)
        section = definition.section_of(field_id)
        checker = FieldChecker(section, values, date.today())
        for finding in checker.check_field(field, value, field_id):
            if finding.severity == "error":
                out.append(finding.message)
    return out


def edit_profile(
    parent: QWidget | None, state: AppState, profile: RepresentativeProfile | None
) -> RepresentativeProfile | None:
    dialog = ProfileDialog(parent, profile)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    try:
        return state.unlocked_vault().save_profile(dialog.result_profile())
    except Exception as exc:
        show_error(parent, "Could not save the profile", exc)
        return None


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, state: AppState) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Settings")
        self.resize(620, 520)
        layout = QVBoxLayout(self)

        profiles = QGroupBox("Representative profiles (fill Section 10 of new drafts)")
        box = QVBoxLayout(profiles)
        self.profiles = QListWidget()
        self.profiles.setAccessibleName("Representative profiles")
        box.addWidget(self.profiles)
        row = QHBoxLayout()
        for text, slot in (
            ("Add…", self.add_profile),
            ("Edit…", self.edit_selected),
            ("Delete", self.delete_selected),
            ("Use for new drafts", self.make_default),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            row.addWidget(b)
        box.addLayout(row)
        layout.addWidget(profiles)

        prefs = QGroupBox("Preferences")
        form = QFormLayout(prefs)
        s = state.settings
        self.idle = QSpinBox()
        self.idle.setRange(0, 240)
        self.idle.setSuffix(" minutes")
        self.idle.setSpecialValueText("Never (not recommended)")
        self.idle.setValue(s.idle_lock_minutes)
        self.labels = QComboBox()
        self.labels.addItem("Letters (A, B, C…)", "letters")
        self.labels.addItem("Numbers (1, 2, 3…)", "numbers")
        self.labels.setCurrentIndex(max(self.labels.findData(s.label_style), 0))
        self.budget = QDoubleSpinBox()
        self.budget.setRange(1, 100)
        self.budget.setSuffix(" MB")
        self.budget.setValue(s.email_budget_mb)
        self.folder = QLineEdit(s.output_folder)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder)
        folder_row.addWidget(browse)
        form.addRow("Lock after idle:", self.idle)
        form.addRow("Exhibit labels:", self.labels)
        form.addRow("E-mail size budget:", self.budget)
        form.addRow("Default output folder:", folder_row)
        for w, name in (
            (self.idle, "Lock after idle"),
            (self.labels, "Exhibit labels"),
            (self.budget, "E-mail size budget"),
            (self.folder, "Default output folder"),
        ):
            w.setAccessibleName(name)
        layout.addWidget(prefs)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Default output folder", self.state.output_folder()
        )
        if folder:
            self.folder.setText(folder)

    def reload(self) -> None:
        self.profiles.clear()
        default = self.state.settings.default_profile
        try:
            profiles = self.state.unlocked_vault().list_profiles()
        except Exception as exc:
            show_error(self, "Could not read the profiles", exc)
            profiles = []
        for p in profiles:
            mark = "  (used for new drafts)" if p.id == default else ""
            item = QListWidgetItem(f"{p.name} — {p.organization}{mark}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            self.profiles.addItem(item)

    def _selected(self) -> str | None:
        item = self.profiles.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def add_profile(self) -> None:
        profile = edit_profile(self, self.state, None)
        if profile is not None and not self.state.settings.default_profile:
            self.state.settings.set("default_profile", profile.id)
        self.reload()

    def edit_selected(self) -> None:
        pid = self._selected()
        if pid:
            edit_profile(self, self.state, self.state.unlocked_vault().get_profile(pid))
            self.reload()

    def delete_selected(self) -> None:
        pid = self._selected()
        if pid and confirm(
            self,
            "Delete profile?",
            "Delete this representative profile? "
            "Drafts that used it keep their Section 10 answers.",
            yes="Delete",
        ):
            self.state.unlocked_vault().delete_profile(pid)
            if self.state.settings.default_profile == pid:
                self.state.settings.set("default_profile", "")
            self.reload()

    def make_default(self) -> None:
        pid = self._selected()
        if pid:
            self.state.settings.set("default_profile", pid)
            self.reload()

    def save(self) -> None:
        s = self.state.settings
        s.set("idle_lock_minutes", self.idle.value())
        s.set("label_style", self.labels.currentData())
        s.set("email_budget_mb", self.budget.value())
        s.set("output_folder", self.folder.text().strip())
        self.accept()
