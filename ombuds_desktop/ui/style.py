"""The app's style sheet: emphasis and problem marking that work in light and dark palettes.

Problems are always written out ("Error:", "Warning:") and marked with a
border and an icon character, so colour is never the only signal.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QPalette


def is_dark() -> bool:
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def style_sheet() -> str:
    dark = is_dark()
    error = "#ff8a80" if dark else "#a61b1b"
    warning = "#ffd180" if dark else "#7a4b00"
    info = "#90caf9" if dark else "#1f4e79"
    error_bg = "rgba(255, 80, 80, 0.10)"
    warning_bg = "rgba(255, 170, 0, 0.12)"
    return f"""
QLabel#sectionTitle {{ font-size: 17pt; font-weight: 600; padding: 4px 0 6px 0; }}
QLabel#fieldLabel {{ font-weight: 600; }}
QLabel#hint {{ color: palette(placeholder-text); }}
QLabel#problems[severity="error"] {{ color: {error}; }}
QLabel#problems[severity="warning"] {{ color: {warning}; }}
QLabel#problems[severity="info"] {{ color: {info}; }}
QLabel#notes {{ color: palette(placeholder-text); }}
QFrame#fieldRow {{ border-left: 4px solid transparent; }}
QFrame#fieldRow[severity="error"] {{ border-left: 4px solid {error}; background: {error_bg}; }}
QFrame#fieldRow[severity="warning"] {{ border-left: 4px solid {warning};
                                        background: {warning_bg}; }}
QLabel#deadlineBanner {{ padding: 6px 10px; border-bottom: 1px solid palette(mid); }}
QLabel#deadlineBanner[severity="warning"] {{ background: {warning_bg}; font-weight: 600; }}
QLabel#outcome {{ padding: 8px; border: 1px solid palette(mid); border-radius: 4px; }}
QLabel#outcome[severity="error"] {{ border-left: 5px solid {error}; }}
QLabel#outcome[severity="warning"] {{ border-left: 5px solid {warning}; }}
QLabel#outcome[severity="info"] {{ border-left: 5px solid {info}; }}
QLabel[severity="warning"] {{ color: {warning}; font-weight: 600; }}
QLabel#lockTitle {{ font-size: 20pt; font-weight: 600; }}
QListWidget#sectionNav::item {{ padding: 4px 2px; }}
{focus_ring(dark)}"""


def focus_ring(dark: bool) -> str:
    """A visible focus ring on every control that takes focus.

    Each control gets a border of the same width when it does not have the focus,
    so the ring appearing never moves anything.  The ring colour has a strong
    contrast in both palettes (not only the highlight colour of the theme).
    """
    ring = "#7fb8ff" if dark else "#0b57d0"
    idle = "palette(mid)"
    return f"""
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox {{
    border: 2px solid {idle}; border-radius: 3px; padding: 2px 4px; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus,
QAbstractSpinBox:focus {{ border-color: {ring}; }}
QRadioButton, QCheckBox {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 3px; }}
QRadioButton:focus, QCheckBox:focus {{ border-color: {ring}; }}
QPushButton, QToolButton {{ border: 2px solid {idle}; border-radius: 4px; padding: 3px 10px;
    background: palette(button); }}
QPushButton:hover, QToolButton:hover {{ background: palette(midlight); }}
QPushButton:focus, QToolButton:focus {{ border-color: {ring}; }}
QPushButton:disabled, QToolButton:disabled {{ color: palette(placeholder-text); }}
QListView:focus, QTreeView:focus, QListWidget:focus, QTreeWidget:focus, QTableView:focus {{
    border: 2px solid {ring}; }}
QListView, QTreeView, QListWidget, QTreeWidget, QTableView {{ border: 2px solid {idle}; }}
"""
