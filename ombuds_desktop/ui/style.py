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
"""
