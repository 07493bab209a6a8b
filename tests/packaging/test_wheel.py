"""The wheel carries everything: built once, installed into a fresh venv outside the checkout on
every supported CPython present, and used from there as a user would (`pip install`), plus the
long-session refcount guard of tests/ui/test_refcounts.py on each, and the long typing session
(tests/ui/long_session.py) on the Python the rest of the suite does not run on.

Why: an app that works only from the checkout (editable install) is broken for everybody who
installs it normally.  Each install is a fresh venv in a temporary folder; the commands run with
the temporary folder as working directory and nothing of the checkout on ``sys.path``.

Pythons: the one scripts/find-python picks (what ./dev uses), plus the other of 3.12/3.13 where
pyenv or PATH has it (skipped with the reason otherwise).  Python 3.11, where present, must be
refused by pip because of ``requires-python``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ui.test_long_session import run_long_session

ROOT = Path(__file__).resolve().parents[2]
SUPPORTED = ("3.12", "3.13")
pytestmark = pytest.mark.slow

# What must never reach the wheel build: it builds from a clean copy of the working tree.
_COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)


def _version(python: str) -> str | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def find_python(minor: str) -> str | None:
    """A CPython ``minor`` ("3.12") from PATH or pyenv's versions folder, as find-python looks."""
    candidates = [shutil.which(f"python{minor}")]
    try:
        root = subprocess.run(
            ["pyenv", "root"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except OSError:
        root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    versions = Path(root or Path.home() / ".pyenv", "versions")
    found = sorted(versions.glob(f"{minor}.*/bin/python{minor}"), reverse=True)
    candidates += [str(p) for p in found]
    for candidate in candidates:
        if candidate and _version(candidate) == minor:
            return candidate
    return None


def default_python() -> str:
    out = subprocess.run(
        [str(ROOT / "scripts" / "find-python")], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, f"scripts/find-python found no supported Python: {out.stderr}"
    return out.stdout.strip()


def python_for(which: str) -> str:
    """``default``: what scripts/find-python picks; ``other``: the other of 3.12/3.13 (or skip)."""
    default = default_python()
    if which == "default":
        return default
    minor = next(m for m in SUPPORTED if m != _version(default))
    other = find_python(minor)
    if other is None:
        pytest.skip(f"CPython {minor} is not on PATH or under $(pyenv root)/versions")
    return other


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without anything that points into the checkout or a venv."""
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONUSERBASE")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("OMBUDS_")}
    env.update(
        {
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "QT_QPA_PLATFORM": "offscreen",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PYTHONNOUSERSITE": "1",
        }
    )
    env.update(extra)
    return env


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600):
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.fixture(scope="module")
def wheel(made_once: Callable[..., Path]) -> Path:
    """One wheel a run (shared by parallel workers), built from a clean copy of the working
    tree (no stale build/ folder)."""

    def build(top: Path) -> None:
        src = top / "src"
        shutil.copytree(ROOT, src, ignore=_COPY_IGNORE)
        env = clean_env(top)
        env.pop("XDG_CACHE_HOME")  # keep pip's cache: it makes the build and installs fast
        done = run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(top / "dist"),
             str(src)],
            cwd=top,
            env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr

    (built,) = (made_once("wheel", build) / "dist").glob("ombuds_desktop-*.whl")
    return built


def test_wheel_carries_the_data_trees(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for tree in ("forms", "resources"):
        shipped = {
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / tree).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        assert shipped, tree
        missing = sorted(s for s in shipped if f"ombuds_desktop/{s}" not in names)
        assert not missing, f"the wheel lacks: {missing}"
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


@pytest.mark.parametrize("which", ["default", "other"])
def test_installed_wheel_works_outside_the_checkout(
    which: str, wheel: Path, tmp_path: Path
) -> None:
    python = python_for(which)
    print(f"{which}: {python} (CPython {_version(python)})")
    venv = tmp_path / "venv"
    work = tmp_path / "work"
    work.mkdir()
    env = clean_env(tmp_path)
    pip_env = dict(env)
    pip_env.pop("XDG_CACHE_HOME")
    made = run([python, "-m", "venv", str(venv)], cwd=work, env=env)
    assert made.returncode == 0, made.stderr
    vpy = venv / "bin" / "python"
    installed = run(
        [str(vpy), "-m", "pip", "install", "-q", "--no-compile", str(wheel)], cwd=work, env=pip_env
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr

    # The package comes from the venv, and nothing of the checkout is importable.
    probe = run(
        [
            str(vpy),
            "-c",
            "import json, sys, ombuds_desktop\n"
            "from ombuds_desktop import paths\n"
            "print(json.dumps({'file': ombuds_desktop.__file__, 'path': sys.path,"
            " 'root': str(paths.app_root())}))",
        ],
        cwd=work,
        env=env,
    )
    assert probe.returncode == 0, probe.stderr
    where = json.loads(probe.stdout)
    assert Path(where["file"]).resolve().is_relative_to(venv.resolve()), where["file"]
    assert Path(where["root"]).resolve().is_relative_to(venv.resolve()), where["root"]
    leaks = [p for p in where["path"] if p and Path(p).resolve().is_relative_to(ROOT)]
    assert not leaks, f"the checkout is on sys.path: {leaks}"

    app = str(venv / "bin" / "ombuds-desktop")
    listed = run([app, "sample", "--list"], cwd=work, env=env)
    assert listed.returncode == 0, listed.stderr
    expected = sorted(p.stem for p in (ROOT / "resources" / "samples").glob("*.json"))
    assert sorted(listed.stdout.split()) == expected

    samples = work / "samples"
    for name in ("vawa-self", "mistakes"):
        done = run([app, "sample", name, "--out", str(samples)], cwd=work, env=env)
        assert done.returncode == 0, done.stderr
    clean = run([app, "validate", str(samples / "vawa-self.json")], cwd=work, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    wrong = run([app, "validate", "--json", str(samples / "mistakes.json")], cwd=work, env=env)
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    assert "phone-format" in wrong.stdout

    pdf = work / "packet.pdf"
    packet = run(
        [app, "packet", str(samples / "vawa-self.json"), "--out", str(pdf), "--acknowledge", "all"],
        work,
        env,
    )
    assert packet.returncode == 0, packet.stdout + packet.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, timeout=60)
    assert "NotoSans" in fonts.stdout, "the packet was not set in the shipped Noto Sans"

    smoke = run([app, "gui", "--smoke", "--verbose"], cwd=work, env=env)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert re.search(r"^smoke: OK", smoke.stdout, re.M), smoke.stdout + smoke.stderr

    # The long-session guard (tests/ui/test_refcounts.py: 20,000 widget calls must leave the
    # reference counts of None/True/False alone) on this Python and the installed Qt binding.
    guard = ROOT / "tests" / "ui" / "test_refcounts.py"
    script = (
        "import runpy, sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        f"ns = runpy.run_path({str(guard)!r})\n"
        "ns['test_python_is_one_the_binding_is_safe_on']()\n"
        "ns['test_widget_calls_do_not_corrupt_reference_counts'](app)\n"
        "print('refcounts: OK')\n"
    )
    refcounts = run([str(vpy), "-c", script], cwd=work, env=env)
    assert refcounts.returncode == 0, refcounts.stdout + refcounts.stderr
    assert "refcounts: OK" in refcounts.stdout

    # The long typing session with the installed app (the default Python runs it from the
    # checkout in tests/ui/test_long_session.py).
    if which == "other":
        session = tmp_path / "session"
        session.mkdir()
        result = run_long_session(str(vpy), session, env)
        assert result["python"].startswith(_version(python) + "."), result["python"]


def test_python_311_is_refused(wheel: Path, tmp_path: Path) -> None:
    python = find_python("3.11")
    if python is None:
        pytest.skip("CPython 3.11 is not on PATH or under pyenv")
    env = clean_env(tmp_path)
    venv = tmp_path / "venv311"
    assert run([python, "-m", "venv", str(venv)], cwd=tmp_path, env=env).returncode == 0
    refused = run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps", str(wheel)],
        cwd=tmp_path,
        env=env,
    )
    assert refused.returncode != 0, refused.stdout
    assert re.search(
        r"requires a different Python: 3\.11\.\d+ not in '[^']*>=3\.12", refused.stderr
    ), refused.stderr
