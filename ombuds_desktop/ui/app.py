"""The desktop app: settings, unlocking the vault, first run, idle lock, clipboard hygiene.

``run_app()`` is what ``ombuds-desktop`` (no arguments) and ``ombuds-desktop gui``
start.  reportlab and pypdf are imported only when a packet is built, so the
drafts window appears quickly.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    SLOT,
    QEvent,
    QObject,
    QSettings,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from ombuds_desktop import paths
from ombuds_desktop.ui.dialogs import RecoveryCodeDialog, ask_passphrase, confirm, show_error
from ombuds_desktop.ui.style import style_sheet

if TYPE_CHECKING:
    from ombuds_desktop.draft.model import Draft
    from ombuds_desktop.ui.home import HomeWindow
    from ombuds_desktop.vault import Vault
    from ombuds_desktop.vault.records import Listing, RepresentativeProfile, VaultInfo

ORG, APP = "OmbudsDesktop", "Ombuds Desktop"


def describe_for_list(draft: Draft) -> Listing:
    """What the drafts list shows (status, client, forms, receipts): validation's, handed
    to the vault at unlock (storage does not read the form's rules).  Imported at the
    first save, not at start-up."""
    from ombuds_desktop.validation.status import describe_draft

    return describe_draft(draft)


class Settings:
    """Preferences (never client data), namespaced in QSettings."""

    # What reading each preference gives (``__getattr__``, the type of its default), for
    # type checkers: annotations only, so reading still goes through QSettings.
    idle_lock_minutes: int
    label_style: str
    email_budget_mb: float
    output_folder: str
    default_profile: str
    clipboard_clear_seconds: int
    tab_pages: bool

    DEFAULTS: dict[str, Any] = {
        "idle_lock_minutes": 10,
        "label_style": "letters",
        "email_budget_mb": 10.0,
        "output_folder": "",
        "default_profile": "",
        "clipboard_clear_seconds": 30,
        "tab_pages": True,
    }

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings or QSettings(ORG, "ombuds-desktop")

    def __getattr__(self, name: str) -> Any:
        if name not in Settings.DEFAULTS:
            raise AttributeError(name)
        default = Settings.DEFAULTS[name]
        value = self.q.value(f"preferences/{name}", default)
        try:
            if isinstance(default, bool):
                return value in (True, "true", "1", 1)
            return type(default)(value)
        except (TypeError, ValueError):
            return default

    def set(self, name: str, value: Any) -> None:
        if name not in Settings.DEFAULTS:
            raise KeyError(name)
        self.q.setValue(f"preferences/{name}", value)
        self.q.sync()


class ActivityWatcher(QObject):
    """Remembers the wall-clock time of the last keyboard or mouse input (sleep counts)."""

    INPUT = {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.Wheel,
        QEvent.Type.MouseMove,
    }

    def __init__(self) -> None:
        super().__init__()
        self.last_input = time.time()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in self.INPUT:
            self.last_input = time.time()
        return False


class SessionWatcher(QObject):
    """Tells when the computer is about to sleep or the screen locks (Linux, over D-Bus).

    Listens to logind's ``PrepareForSleep`` on the system bus and the screen
    savers' ``ActiveChanged`` on the session bus.  Where neither bus exists
    (Windows, macOS, a bare session) it stays silent and the wall-clock idle
    check still locks after a sleep.
    """

    lock_now = Signal()

    SCREENSAVERS = (
        ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
        ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
    )

    def start(self) -> list[str]:
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # pragma: no cover - QtDBus ships with PySide6-Essentials
            return []
        self.stop()
        watching = []
        system, session = QDBusConnection.systemBus(), QDBusConnection.sessionBus()
        # PySide6's stubs type the slot as bytes; it takes the str SLOT() gives.
        if system.isConnected() and system.connect(  # type: ignore[call-overload]
            "",
            "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager",
            "PrepareForSleep",
            self,
            SLOT("prepare_for_sleep(bool)"),
        ):
            watching.append("sleep")
        if session.isConnected():
            for interface, path in self.SCREENSAVERS:
                if session.connect(  # type: ignore[call-overload]
                    "", path, interface, "ActiveChanged", self, SLOT("screen_saver(bool)")
                ):
                    watching.append(interface)
        return watching

    def stop(self) -> None:
        from PySide6.QtDBus import QDBusConnection

        system, session = QDBusConnection.systemBus(), QDBusConnection.sessionBus()
        if system.isConnected():
            system.disconnect(  # type: ignore[call-overload]  # stubs: slot as bytes
                "",
                "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager",
                "PrepareForSleep",
                self,
                SLOT("prepare_for_sleep(bool)"),
            )
        if session.isConnected():
            for interface, path in self.SCREENSAVERS:
                session.disconnect(  # type: ignore[call-overload]  # stubs: slot as bytes
                    "", path, interface, "ActiveChanged", self, SLOT("screen_saver(bool)")
                )

    @Slot(bool)
    def prepare_for_sleep(self, sleeping: bool) -> None:
        if sleeping:
            self.lock_now.emit()

    @Slot(bool)
    def screen_saver(self, active: bool) -> None:
        if active:
            self.lock_now.emit()


class AppState(QObject):
    """What the windows share: the open vault, the settings, the lock."""

    def __init__(self, data_dir: Path | None = None, settings: Settings | None = None) -> None:
        super().__init__()
        from ombuds_desktop.vault import default_data_dir

        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.settings = settings or Settings()
        self.vault: Vault | None = None
        self.passphrase_protected = False
        self.home: HomeWindow | None = None
        self.locked = False
        self.activity = ActivityWatcher()
        self._clip_timer = QTimer(self, singleShot=True)
        self._clip_timer.timeout.connect(self.clear_clipboard)
        self._clip_text = ""
        self._idle_timer = QTimer(self, interval=15000)
        self._idle_timer.timeout.connect(self.check_idle)
        self.session = SessionWatcher(self)
        self.session.lock_now.connect(self.lock)
        self._watching: list[tuple[Any, Any]] = []  # (signal, slot) to undo at shutdown

    # ------------------------------------------------------------------ vault

    def unlock(self, parent: QWidget | None = None) -> bool:
        """Open (or on first run create) the vault; False if the user gave up."""
        from ombuds_desktop.vault import (
            KeyMissingError,
            KeyringUnavailableError,
            Vault,
            VaultError,
            WrongPassphraseError,
        )

        if not Vault.exists(self.data_dir):
            return self.first_run(parent)
        info = Vault.info(self.data_dir)
        passphrase = None
        self.passphrase_protected = info.protection == "passphrase"
        for _attempt in range(5):
            if self.passphrase_protected:
                passphrase = ask_passphrase(
                    parent,
                    "Unlock Ombuds Desktop",
                    "Type the passphrase of your Ombuds Desktop vault.",
                )
                if passphrase is None:
                    return False
            try:
                self.vault = Vault.open(
                    self.data_dir, passphrase=passphrase, describe=describe_for_list
                )
                self.locked = False
                self.check_freshness(parent)
                return True
            except WrongPassphraseError:
                show_error(
                    parent,
                    "Wrong passphrase",
                    "That passphrase does not open the "
                    "vault. Check Caps Lock and try again, or use your recovery code.",
                )
            except (KeyMissingError, KeyringUnavailableError) as exc:
                if not confirm(
                    parent,
                    "The key is not available",
                    f"{exc}\n\nUnlock with your recovery code now?",
                    yes="Use the recovery code",
                    no="Quit",
                ):
                    return False
                return self.recover(parent)
            except VaultError as exc:
                show_error(parent, "The vault cannot be opened", exc)
                return False
        return False

    def unlocked_vault(self) -> Vault:
        """The vault, for the windows and actions that exist only while it is unlocked (the
        lock closes them first); if one outlives it, a :class:`VaultError` saying so."""
        if self.vault is None:
            from ombuds_desktop.vault import VaultError

            raise VaultError("the vault is locked; unlock it again")
        return self.vault

    def check_freshness(self, parent: QWidget | None) -> None:
        """Say so when the vault is older than the one this computer last saw (a rollback).

        Every draft can still be read and exported; saving stays paused until the user
        accepts this state (a backup restored on purpose), so nothing newer is overwritten.
        """
        vault = self.vault
        problems = list(vault.freshness_problems) if vault is not None else []
        if vault is None or not problems:
            return
        if confirm(
            parent,
            "This vault is older than expected",
            "\n\n".join(problems)
            + "\n\nYou can open, read and export every draft. Saving is paused so that "
            "nothing newer is overwritten by old data: an old address on a filing can put "
            "a client at risk. If you restored this vault from a backup on purpose, accept "
            "it as the current state. Otherwise keep it as it is, export what you need, and "
            "look for the newer copy (your backups, another computer).",
            yes="Accept it: I restored a backup",
            no="Keep saving paused",
        ):
            vault.accept_current_state()

    def recover(self, parent: QWidget | None) -> bool:
        from ombuds_desktop.vault import KeyringUnavailableError, Vault, VaultError

        code, ok = QInputDialog.getText(
            parent,
            "Recovery code",
            "Type the recovery code you printed or saved when the vault was created:",
            QLineEdit.EchoMode.Normal,
        )
        if not ok or not code.strip():
            return False
        try:
            try:
                self.vault = Vault.recover(self.data_dir, code, describe=describe_for_list)
            except KeyringUnavailableError:
                passphrase = ask_passphrase(
                    parent,
                    "Choose a passphrase",
                    "This computer has no usable keyring. Choose a "
                    "passphrase to protect the vault from now on.",
                    confirm=True,
                )
                if passphrase is None:
                    return False
                self.vault = Vault.recover(
                    self.data_dir, code, new_passphrase=passphrase, describe=describe_for_list
                )
                self.passphrase_protected = True
        except VaultError as exc:
            show_error(parent, "Recovery failed", exc)
            return False
        return True

    def first_run(self, parent: QWidget | None) -> bool:
        from ombuds_desktop.vault import KeyringUnavailableError, Vault, VaultError

        QMessageBox.information(
            parent,
            "Welcome to Ombuds Desktop",
            "Ombuds Desktop keeps every draft on this computer, encrypted. It will now create "
            "your vault and keep its key in this computer's keyring (or, if there is none, "
            "protect it with a passphrase you choose). You will then see a recovery code to "
            "print or save.",
        )
        try:
            try:
                self.vault, code = Vault.create(self.data_dir, describe=describe_for_list)
            except KeyringUnavailableError as exc:
                passphrase = ask_passphrase(
                    parent,
                    "Choose a passphrase",
                    f"{exc}\n\nChoose a passphrase to protect the vault instead. You will "
                    "type it each time you open Ombuds Desktop.",
                    confirm=True,
                )
                if passphrase is None:
                    return False
                self.vault, code = Vault.create(
                    self.data_dir, passphrase=passphrase, describe=describe_for_list
                )
                self.passphrase_protected = True
        except VaultError as exc:
            show_error(parent, "The vault could not be created", exc)
            return False
        RecoveryCodeDialog(parent, code).exec()
        if confirm(
            parent,
            "Your details",
            "Set up your representative profile now? Ombuds "
            "Desktop fills Section 10 of every new draft from it.",
            yes="Set it up",
            no="Later",
        ):
            from ombuds_desktop.ui.settings import edit_profile

            profile = edit_profile(parent, self, None)
            if profile is not None:
                self.settings.set("default_profile", profile.id)
        return True

    def default_profile(self) -> RepresentativeProfile | None:
        profile_id = self.settings.default_profile
        if not profile_id or self.vault is None:
            return None
        try:
            return self.vault.get_profile(profile_id)
        except Exception:
            return None

    def describe_status(self, info: VaultInfo) -> str:
        protection = {
            "keyring": "key kept in the system keyring",
            "passphrase": "key protected by your passphrase",
        }.get(info.protection or "", str(info.protection))
        return (
            f"Location: {info.data_dir}\nProtection: AES-256-GCM, {protection}\n"
            f"Recovery code set: {'yes' if info.recovery_code_set else 'no'}\n"
            f"Drafts: {info.drafts} (in trash: {info.in_trash})\n"
            f"Attachments: {info.attachments}"
        )

    def output_folder(self) -> str:
        folder = self.settings.output_folder
        if folder and Path(folder).is_dir():
            return folder
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    # ------------------------------------------------------------------ lock

    def start_idle_watch(self, app: QApplication) -> None:
        app.installEventFilter(self.activity)
        self._idle_timer.start()
        self.session.start()
        app.applicationStateChanged.connect(self._app_state_changed)
        self._watching.append((app.applicationStateChanged, self._app_state_changed))

    def shutdown(self, app: QApplication) -> None:
        """Undo start_idle_watch / watch_clipboard (the app is closing)."""
        self._idle_timer.stop()
        self._clip_timer.stop()
        app.removeEventFilter(self.activity)
        self.session.stop()
        while self._watching:
            signal, slot = self._watching.pop()
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)

    def _app_state_changed(self, state: Qt.ApplicationState) -> None:
        # Suspended (laptop sleep, screen lock on some platforms): lock at once.
        if state == Qt.ApplicationState.ApplicationSuspended:
            self.lock()

    def check_idle(self) -> None:
        minutes = self.settings.idle_lock_minutes
        if self.locked or self.vault is None or minutes <= 0:
            return
        if time.time() - self.activity.last_input >= minutes * 60:
            self.lock()

    def lock(self) -> None:
        """Save and close every draft, forget the key and decrypted data, show the lock."""
        if self.locked or self.vault is None:
            return
        from ombuds_desktop.ui.lock import LockScreen

        home = self.home
        if home is not None:
            home.close_all_drafts()
            home.model.clear()
            home.search.clear()
        self.clear_clipboard(force=True)
        from ombuds_desktop.ui.operations import Operation

        Operation.stop_for(None)  # no worker may use the vault while it closes
        try:
            self.vault.close()
        finally:
            self.vault = None
            self.locked = True
        # The drafts window stays up, emptied to "locked", until the lock screen is on
        # screen: hiding it first left a moment (seconds, with a busy window manager) with
        # no window of ours, where a click or wheel turn fell through to the desktop and
        # could switch virtual desktops, so the lock screen then opened out of sight.
        if home is not None:
            home.show_locked()
        previous = getattr(self, "lock_screen", None)
        if previous is not None and previous.isVisible():
            previous.button.setEnabled(True)
            if previous.passphrase is not None:
                previous.passphrase.setEnabled(True)
            # Locked again before the drafts window came back on screen after unlocking:
            # the lock screen still up serves again.
            self._lock_screen_shown()
            previous.raise_()
            previous.activateWindow()
            return
        self.lock_screen = LockScreen(self)
        self.lock_screen.on_screen.connect(self._lock_screen_shown)
        if home is not None and home.isVisible():
            area = home.frameGeometry()
            frame = self.lock_screen.frameGeometry()
            frame.moveCenter(area.center())
            self.lock_screen.move(frame.topLeft())
        self.lock_screen.show()
        self.lock_screen.raise_()
        self.lock_screen.activateWindow()

    def _lock_screen_shown(self) -> None:
        """The lock screen is on screen: now the emptied drafts window may go."""
        if self.locked and self.home is not None:
            self.home.hide()

    def unlocked(self) -> None:
        self.locked = False
        self.activity.last_input = time.time()
        if self.home is not None:
            self.home.show()
            self.home.refresh()

    # ------------------------------------------------------------------ clipboard

    def watch_clipboard(self) -> None:
        QGuiApplication.clipboard().dataChanged.connect(self._clipboard_changed)
        self._watching.append((QGuiApplication.clipboard().dataChanged, self._clipboard_changed))

    def _clipboard_changed(self) -> None:
        """Note a copy made in this app (it owns the clipboard, or one of its widgets has focus)."""
        clipboard = QGuiApplication.clipboard()
        if clipboard.ownsClipboard() or QApplication.focusWidget() is not None:
            self._clip_text = clipboard.text()
            if self._clip_text:
                self._clip_timer.start(int(self.settings.clipboard_clear_seconds * 1000))

    def clear_clipboard(self, force: bool = False) -> None:
        """Clear what this app copied, if the clipboard still holds it (never others' copies)."""
        clipboard = QGuiApplication.clipboard()
        ours = bool(self._clip_text) and clipboard.text() == self._clip_text
        if ours or (force and clipboard.ownsClipboard()):
            clipboard.clear()
        self._clip_text = ""

    # ------------------------------------------------------------------ geometry

    def save_geometry(self, window: QWidget) -> None:
        self.settings.q.setValue(f"geometry/{window.objectName() or 'home'}", window.saveGeometry())

    def restore_geometry(self, window: QWidget) -> None:
        data = self.settings.q.value(f"geometry/{window.objectName() or 'home'}")
        if data is not None:
            window.restoreGeometry(data)


def install_fonts(app: QApplication) -> list[str]:
    """Make the packet's Noto fonts available to the UI; the families, in fallback order.

    A name typed in Arabic, Devanagari or Korean must show in the wizard as it will print,
    on any machine: a bare Linux desktop may lack such fonts, and then Qt draws boxes.  The
    shipped files (``resources/fonts``) are registered with Qt, and the default family gets
    them as substitutes, so Qt falls back to them for characters it has no glyph for.
    """
    families: list[str] = []
    for path in sorted((paths.resources_dir() / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        for family in QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else ():
            if family not in families:
                families.append(family)
    ordered = sorted(families, key=lambda f: (f != "Noto Sans", "CJK" in f, f))
    QFont.insertSubstitutions(app.font().family(), ordered)
    return ordered


def make_application(argv: list[str] | None = None) -> QApplication:
    app = cast(QApplication, QApplication.instance() or QApplication(argv or [sys.argv[0]]))
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setApplicationDisplayName(APP)
    icon = paths.resources_dir() / "icons" / "ombuds-desktop.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_fonts(app)
    app.setStyleSheet(style_sheet())
    return app


def run_app(data_dir: str | None = None) -> int:
    """Show the drafts window at once, then unlock the vault behind it and fill the list."""
    app = make_application()
    folder = data_dir or os.environ.get("OMBUDS_DATA_DIR")
    state = AppState(Path(folder) if folder else None)
    from ombuds_desktop.ui.home import HomeWindow

    state.home = HomeWindow(state)
    state.home.setObjectName("home")
    state.restore_geometry(state.home)
    state.home.show()
    app.processEvents()
    if not state.unlock(state.home):
        return 1
    state.home.refresh()
    state.home.lock_requested.connect(state.lock)
    state.watch_clipboard()
    state.start_idle_watch(app)
    code = app.exec()
    from ombuds_desktop.ui.operations import Operation

    Operation.stop_for(None)
    state.shutdown(app)
    state.clear_clipboard(force=True)
    if state.vault is not None:
        state.vault.close()
    return code
