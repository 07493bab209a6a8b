"""Guard against the Qt-binding bug that aborted the app while the user typed.

PySide6-Essentials 6.12.0 on CPython 3.11 drops one reference to ``None`` (and to ``True`` /
``False``) on each call of a method that returns nothing; after a few thousand calls Python
aborts with ``none_dealloc``.  This test calls common widget methods 20,000 times and asserts
the counts did not move.  On 3.12+ these objects are immortal and their counts are constant,
so the test also refuses the combination outright: the supported Pythons are listed in
pyproject.toml and explained in the README.
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit

CALLS = 20_000


def _counts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def test_widget_calls_do_not_corrupt_reference_counts(qapp) -> None:
    label, line, text, combo, check = (
        QLabel(),
        QLineEdit(),
        QPlainTextEdit(),
        QComboBox(),
        QCheckBox(),
    )
    combo.addItems(["a", "b"])
    before = _counts()
    for i in range(CALLS):
        flag = i % 2 == 0
        label.setVisible(flag)
        label.setText("x")
        line.setEnabled(flag)
        line.setToolTip("")
        text.setReadOnly(flag)
        combo.setCurrentIndex(i % 2)
        check.setChecked(flag)
        label.isVisible()
        check.isChecked()
    after = _counts()
    assert after == before, (
        f"reference counts of None/True/False moved from {before} to {after} after {CALLS} "
        f"widget calls: this Qt binding ({PySide6.__version__}) on Python "
        f"{sys.version.split()[0]} corrupts reference counts and will abort a long session"
    )


def test_python_is_one_the_binding_is_safe_on() -> None:
    assert sys.version_info[:2] >= (3, 12), (
        "Python 3.11 with PySide6 6.12 aborts after a few thousand widget calls; "
        "use 3.12 or 3.13 (scripts/find-python)"
    )
