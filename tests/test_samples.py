"""The built-in samples are the same bytes whatever the process did before writing them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from pathlib import Path
from ombuds_desktop.samples import write_sample
from ombuds_desktop.printed import fonts

out = Path(sys.argv[1])
write_sample("vawa-self", out / "first")  # nothing has set up reportlab yet
fonts.register()  # as a packet build does
write_sample("vawa-self", out / "after")
"""


def test_sample_documents_do_not_depend_on_what_ran_before(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    first = sorted(p for p in (tmp_path / "first").rglob("*") if p.suffix == ".pdf")
    assert first
    for path in first:
        again = tmp_path / "after" / path.relative_to(tmp_path / "first")
        assert again.read_bytes() == path.read_bytes(), path.name
