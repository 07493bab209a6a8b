"""A working day in one process: the test that would have caught the refcount abort.

Run by ``test_long_session.py`` in a subprocess (so an abort is a failure, not a dead
test run), with ``OMBUDS_LONG_SESSION_PYTHON`` choosing the interpreter; or by hand::

    python tests/ui/long_session.py [--chars 20000]

It imports a complete sample draft through the drafts window, then types at least
``--chars`` characters through real key events into every kind of editor (text,
multi-line, dates, identifiers, names and addresses, repeating rows) and changes every
combo box, radio group and check box with keys and clicks, moving section to section
with Alt+Right; builds a packet (pressing keys while it builds); exports and imports
an archive through Export…/Import…; locks and unlocks.  It then checks that the saved
draft holds what was typed and that no exception and no Qt warning was logged, prints
one JSON line with the result, and exits 0 only if all is well.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (  # noqa: E402
    QEvent,
    QEventLoop,
    QSettings,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

sys.path.insert(0, str(Path(__file__).parent))
from modals import ModalDriver  # noqa: E402

PASSPHRASE = "correct horse battery staple"
ARCHIVE_PASSPHRASE = "an archive passphrase for the long session"
#: Offscreen-platform notices that say nothing about the app.
HARMLESS = ("This plugin does not support",)
#: Written in many scripts, as attorneys' clients write (made-up words).
PHRASES = [
    "The notice was mailed to an old address. ",
    "Nguyễn Thị Ánh asked twice; ",
    "Łódź, Zürich, São Paulo — ",
    "مرحبا بالعالم ",  # right to left
    "שלום ",
    "e\u0301te\u0301 cafe\u0301 ",  # combining accents
    "Straße 12, Piso 3º; ",
    "12/10/2024 and again 03/01/2025. ",
]

problems: list[str] = []
typed_total = 0


def on_qt_message(mode: QtMsgType, context, message: str) -> None:
    serious = mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
    if serious and not any(h in message for h in HARMLESS):
        problems.append(f"Qt {mode.name}: {message}")


def on_exception(kind, value, tb) -> None:
    problems.append("exception: " + "".join(traceback.format_exception(kind, value, tb))[-2000:])


def on_thread_exception(args) -> None:
    on_exception(args.exc_type, args.exc_value, args.exc_traceback)


def debug(text: str) -> None:
    if os.environ.get("OMBUDS_LONG_SESSION_DEBUG"):
        sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {text}\n")


def wait(ms: int) -> None:
    """Let the event loop run for ``ms``, as the app's own loop does between key presses.

    Not ``QTest.qWait``: it sleeps holding Python's lock (the GIL), so the app's background
    work (packet builds, exports, imports) barely runs while a script waits for it; a packet
    that builds in one second took 16 s here.  ``QEventLoop.exec`` releases it while idle.
    """
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(predicate, timeout_ms: int = 60000, what: str = "") -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        wait(20)


def type_text(widget: QWidget, text: str, chunk: int = 40) -> None:
    """Real key events, a few dozen at a time with the event loop running in between
    (timers fire while the user types); characters QTest cannot synthesise arrive as an
    input method delivers them, as key events carrying the text."""
    global typed_total
    for start in range(0, len(text), chunk):
        for ch in text[start : start + chunk]:
            if ch == "\n":
                QTest.keyClick(widget, Qt.Key.Key_Return)
            elif ord(ch) < 128:
                QTest.keyClicks(widget, ch)
            else:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(
                        widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch)
                    )
        typed_total += len(text[start : start + chunk])
        wait(1)


#: Paragraph length of the typed prose, as an attorney writes.  (One 16,000-character
#: paragraph costs Qt a re-layout of all of it on every key: 4 ms a key here, a test cost.)
PARAGRAPH_CHARS = 700


def prose(n: int, seed: int) -> str:
    out, i, paragraph = [], seed, 0
    while sum(map(len, out)) < n:
        if paragraph >= PARAGRAPH_CHARS:
            out.append("\n")
            paragraph = 0
        out.append(PHRASES[i % len(PHRASES)])
        paragraph += len(out[-1])
        i += 1
    return "".join(out)[:n]


def click(widget: QWidget) -> None:
    widget.window().activateWindow()
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def key(widget: QWidget, k: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press in the widget's window, made active first as a click on it would
    (a closed message box can leave no window active, and shortcuts need one)."""
    window = widget.window()
    if QApplication.activeWindow() is not window and QApplication.activeModalWidget() is None:
        window.activateWindow()
        QTest.qWaitForWindowActive(window, 2000)
    QTest.keyClick(widget, k, mods)


def visible(w: QWidget) -> bool:
    return w.isVisibleTo(w.window()) and w.isEnabled()


class Session:
    def __init__(self, folder: Path, chars: int) -> None:
        from ombuds_desktop.ui.app import AppState, Settings, describe_for_list, make_application
        from ombuds_desktop.vault import Vault

        self.app = make_application([sys.argv[0]])
        self.folder = folder
        self.chars = chars
        settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
        self.state = AppState(folder / "data", settings)
        self.state.vault, _code = Vault.create(
            self.state.data_dir, passphrase=PASSPHRASE, describe=describe_for_list
        )
        self.state.passphrase_protected = True
        self.expected: dict[str, object] = {}
        self.driver = ModalDriver(
            prefer=["Continue", "Build a draft copy", "Save my version", "OK", "Yes"]
        )

    # ---------------------------------------------------------------- the day

    def run(self) -> dict:
        from ombuds_desktop.samples import write_sample
        from ombuds_desktop.ui import export_dialog, home
        from ombuds_desktop.ui.home import HomeWindow

        window = HomeWindow(self.state)
        self.state.home = window
        window.lock_requested.connect(self.state.lock)
        window.show()
        QTest.qWaitForWindowExposed(window)
        self.home = window

        # Only the system's file pickers and passphrase prompts are stood in for.
        sample = write_sample("vawa-self", self.folder / "in")
        archive = self.folder / "out" / "day.ombuds"
        archive.parent.mkdir()
        picked = {"open": sample}
        home.QFileDialog.getOpenFileName = lambda *a, **k: (str(picked["open"]), "")
        export_dialog.QFileDialog.getSaveFileName = lambda *a, **k: (str(archive), "")
        home.ask_passphrase = lambda *a, **k: ARCHIVE_PASSPHRASE
        export_dialog.ask_passphrase = lambda *a, **k: ARCHIVE_PASSPHRASE

        key(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # Import…
        wait_until(lambda: window.proxy.rowCount() == 1, what="the import")
        window.table.setFocus()
        window.table.selectRow(0)
        draft_id = window.selected_id()
        key(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # Open
        wait_until(lambda: draft_id in window.windows, what="the draft window")
        draft_window = window.windows[draft_id]
        QTest.qWaitForWindowExposed(draft_window)

        self.fill_every_section(draft_window)
        self.top_up(draft_window)
        draft_window._collect()
        self.expected = {**draft_window.draft.values, **self.expected}
        self.build_packet(draft_window)
        key(draft_window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)  # close
        wait_until(lambda: draft_id not in window.windows, what="the draft to close")

        window.activateWindow()
        window.table.selectRow(0)
        self.driver.answers = ["Encrypted archive…"]
        key(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # Export…
        wait_until(lambda: archive.is_file() and not self.operations(), what="the export")
        picked["open"] = archive
        key(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # Import the archive
        wait_until(lambda: window.proxy.rowCount() == 2, what="the archive import")

        key(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # Lock now
        wait_until(lambda: self.state.locked, what="the lock")
        lock = self.state.lock_screen
        QTest.qWaitForWindowExposed(lock)
        type_text(lock.passphrase, PASSPHRASE)
        key(lock.passphrase, Qt.Key.Key_Return)
        wait_until(lambda: not self.state.locked and window.isVisible(), what="the unlock")
        wait_until(lambda: window.proxy.rowCount() == 2, what="the list after unlocking")

        saved = self.state.vault.load_draft(draft_id)
        for field_id, value in self.expected.items():
            if saved.values.get(field_id) != value:
                problems.append(
                    f"{field_id}: saved {str(saved.values.get(field_id))[:80]!r}… "
                    f"differs from what was typed {str(value)[:80]!r}…"
                )
        others = [s.id for s in self.state.vault.list_drafts() if s.id != draft_id]
        copy = self.state.vault.load_draft(others[0])
        for field_id, value in self.expected.items():
            if copy.values.get(field_id) != value:
                problems.append(f"{field_id}: the imported archive differs from the draft")
        for title, text in self.driver.warnings:
            problems.append(f"an error message was shown: {title}: {text}")
        if typed_total < self.chars:
            problems.append(f"only {typed_total} characters were typed")
        return {"typed": typed_total, "fields_checked": len(self.expected)}

    def operations(self) -> bool:
        from ombuds_desktop.ui.operations import Operation

        return bool(Operation._running)

    # ---------------------------------------------------------------- editing

    def fill_every_section(self, w) -> None:
        from ombuds_desktop.ui.draft_window import REVIEW_ID
        from ombuds_desktop.ui.section_page import SectionPage

        w.nav.setCurrentRow(0)
        seen = set()
        while w.current_id != REVIEW_ID and w.current_id not in seen:
            seen.add(w.current_id)
            page = w.pages[w.stack.currentIndex()]
            if isinstance(page, SectionPage):
                for row in list(page.rows):
                    if visible(row):
                        self.fill_row(w, row, top=True)
            wait(50)
            errors = [
                f"{f.field}: {f.message}"
                for f in w.findings
                if f.section == w.current_id and f.severity == "error"
            ]
            debug(f"section {w.current_id}: {typed_total} typed; errors {errors}")
            key(w, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # Next section
            wait(30)
        if len(seen) < 8:
            problems.append(f"only {len(seen)} sections were visited")

    def fill_row(self, w, row, top: bool) -> None:
        from ombuds_desktop.ui.field_row import GroupEditor

        editor = row.editor
        kind = row.field.type
        if isinstance(editor, GroupEditor):
            for box in list(editor.row_boxes):
                for sub in box.rows:
                    if visible(sub):
                        self.fill_row(w, sub, top=False)
            return
        if kind == "long_text":
            (box,) = editor.findChildren(QPlainTextEdit)
            room = (row.field.max_length or 4000) - len(box.toPlainText())
            text = "\n" + prose(min(3500, max(room - 1, 0)), len(self.expected))
            click(box)
            key(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
            type_text(box, text)
            if top:
                self.expected[row.field.id] = box.toPlainText()
            return
        lines = [x for x in editor.findChildren(QLineEdit) if visible(x) and not x.isReadOnly()]
        free = kind in ("text", "organisation_name")
        for line in lines:
            if isinstance(line.parent(), QComboBox):
                continue
            current = line.text()
            click(line)
            key(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            if free:
                limit = line.maxLength() if line.maxLength() < 32767 else 200
                text = prose(min(limit, 60), len(self.expected) + 3).strip()
                type_text(line, text)
            else:  # dates, identifiers, names, addresses: the valid answer typed again
                key(line, Qt.Key.Key_Delete)
                type_text(line, current)
        if free and top and lines:
            self.expected[row.field.id] = lines[0].text() or None
        for combo in editor.findChildren(QComboBox):
            if visible(combo) and combo.count() > 2:
                click(combo)
                QTest.keyClick(QApplication.activePopupWidget() or combo, Qt.Key.Key_Escape)
                before = combo.currentIndex()
                key(combo, Qt.Key.Key_Down if before < combo.count() - 1 else Qt.Key.Key_Up)
                wait(5)
                key(combo, Qt.Key.Key_Up if before < combo.count() - 1 else Qt.Key.Key_Down)
                if combo.currentIndex() != before:
                    problems.append(f"{row.field.id}: the combo box did not return to its answer")
        radios = [b for b in editor.findChildren(QRadioButton) if visible(b)]
        chosen = next((b for b in radios if b.isChecked()), None)
        if len(radios) >= 2 and chosen is not None:  # another answer, then back
            click(next(b for b in radios if b is not chosen))
            wait(5)
            click(chosen)
            if not chosen.isChecked():
                problems.append(f"{row.field.id}: the radio button did not return to its answer")
        for box in [b for b in editor.findChildren(QCheckBox) if visible(b)][:3]:
            box.setFocus()
            key(box, Qt.Key.Key_Space)
            key(box, Qt.Key.Key_Space)

    def top_up(self, w) -> None:
        """More typing into the long explanation until the day's total is reached."""
        if typed_total >= self.chars:
            return
        section = w.definition.section_of("s2.explanation")
        w.nav.setCurrentRow(w.page_ids.index(section))
        page = w.pages[w.page_ids.index(section)]
        row = next(r for r in page.rows if r.field.id == "s2.explanation")
        (box,) = row.editor.findChildren(QPlainTextEdit)
        room = (row.field.max_length or 20000) - len(box.toPlainText()) - 10
        need = self.chars - typed_total
        if need > room:  # make room: the attorney rewrites the explanation
            click(box)
            key(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            key(box, Qt.Key.Key_Delete)
        click(box)
        key(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        type_text(box, prose(need, 5))
        self.expected["s2.explanation"] = box.toPlainText()
        wait(1200)  # the autosave pause

    def build_packet(self, w) -> None:
        w.activateWindow()
        key(w, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)  # Build packet
        debug(f"build: running={self.operations()} focus={QApplication.focusWidget()}")
        started = time.monotonic()
        while time.monotonic() - started < 60 and w.preview is None:
            key(QApplication.focusWidget() or w, Qt.Key.Key_Tab)  # keys while it builds
            key(w, Qt.Key.Key_X)
            wait(20)
        wait_until(lambda: w.preview is not None and not self.operations(), what="the packet")
        w.preview.close()
        wait(50)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=20000)
    args = parser.parse_args()
    qInstallMessageHandler(on_qt_message)
    sys.excepthook = on_exception
    threading.excepthook = on_thread_exception
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ombuds-long-session-") as tmp:
        session = Session(Path(tmp), args.chars)
        try:
            result = session.run()
        except Exception:
            problems.append("the session stopped: " + traceback.format_exc()[-3000:])
            result = {}
        finally:
            session.driver.stop()
            if session.state.vault is not None:
                for w in list(getattr(session.home, "windows", {}).values()):
                    w.close()
                session.state.vault.close()
    result.update(
        python=sys.version.split()[0],
        seconds=round(time.monotonic() - started, 1),
        message_boxes=session.driver.texts(),
        problems=problems,
    )
    sys.stdout.write(json.dumps(result) + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
