"""The official package is the official PDF as data: it imports nothing from the packet,
the window or Qt, not even inside a function.

Filling and drawing the official form is the packet's (``packet/official_fill.py``,
``packet/official_form.py``); a lazy import back into ``packet`` is how the old
package-level cycle crept in, so the check reads every import statement, wherever it is.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ombuds_desktop.official

FORBIDDEN = ("ombuds_desktop.packet", "ombuds_desktop.ui", "PySide6")
PACKAGE = Path(ombuds_desktop.official.__file__).parent


def _imported(node: ast.AST, module: str) -> list[str]:
    """Absolute names an import statement brings in (relative ones resolved in ``module``)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = module.split(".")[: -node.level]
            base = ".".join([*parts, base] if base else parts)
        # ``from ombuds_desktop import packet`` names the package too.
        return [base, *(f"{base}.{a.name}" for a in node.names)]
    return []


def forbidden_imports(source: str, module: str) -> list[str]:
    """Every import in ``source`` (top level or nested) of a forbidden package."""
    found = []
    for node in ast.walk(ast.parse(source)):
        for name in _imported(node, module):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                found.append(f"{module}:{node.lineno}: {name}")
    return found


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        # ``__init__`` kept in the name, so a relative import resolves from its package.
        rel = path.relative_to(PACKAGE).with_suffix("")
        out.append((".".join(["ombuds_desktop.official", *rel.parts]), path))
    return out


def test_official_imports_nothing_from_packet_ui_or_qt():
    modules = _modules()
    assert {"ombuds_desktop.official.plan", "ombuds_desktop.official.target"} <= {
        m for m, _ in modules
    }
    found = [hit for m, p in modules for hit in forbidden_imports(p.read_text("utf-8"), m)]
    assert found == []


def test_check_flags_imports_wherever_they_are():
    """Negative control: the check is not vacuous."""
    source = (
        "from __future__ import annotations\n"
        "import json\n"
        "from ombuds_desktop.official.reader import OfficialForm\n"
        "def draw():\n"
        "    from ombuds_desktop.packet import fonts\n"
        "    import ombuds_desktop.packet.layout as layout\n"
        "    from ombuds_desktop import ui\n"
        "    from PySide6.QtCore import QObject\n"
        "    from .. import packet\n"
        "    from ..packet.values import display\n"
    )
    found = forbidden_imports(source, "ombuds_desktop.official.fill")
    assert [h.split(": ", 1)[1] for h in found] == [
        "ombuds_desktop.packet",
        "ombuds_desktop.packet.fonts",
        "ombuds_desktop.packet.layout",
        "ombuds_desktop.ui",
        "PySide6.QtCore",
        "PySide6.QtCore.QObject",
        "ombuds_desktop.packet",
        "ombuds_desktop.packet.values",
        "ombuds_desktop.packet.values.display",
    ]
    # Look-alike names are not flagged.
    assert forbidden_imports("import ombuds_desktop.packetizer\nimport uikit\n", "x.y") == []
