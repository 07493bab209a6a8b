"""Run the command line and capture what it prints: the one CLI runner of the tests.

Like ``click.testing.CliRunner``: ``run_cli(*args)`` calls ``main(args)`` in this process with
stdin, stdout and stderr replaced, and returns a :class:`CliResult` shaped like
``subprocess.CompletedProcess``.  In-process is much faster than a new interpreter per call
(no Qt, cryptography or keyring imports again, and the tests' cheap key derivation applies).
What a new process would not inherit is put back after every call: ``os.environ`` (``main``
sets ``OMBUDS_DATA_DIR`` from ``--data-dir``), ``sys.path`` and the keyring backend.  The
environment given is honoured as a new process would honour it: ``PYTHONPATH`` entries go on
``sys.path`` and ``PYTHON_KEYRING_BACKEND`` selects the keyring backend, for that call only.

``in_process=False`` runs the installed ``ombuds-desktop`` program instead, for the tests that
are about the process boundary (exit codes of the real program, interrupted writes, ...).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class CliResult:
    """What one command did: its arguments, exit code and output (``str``, or ``bytes``)."""

    args: list[str]
    returncode: int
    stdout: Any
    stderr: Any


def run_cli(
    *args: str | os.PathLike[str],
    stdin: str | bytes | None = None,
    env: Mapping[str, str] | None = None,
    replace_env: bool = False,
    text: bool = True,
    in_process: bool = True,
    timeout: float = 300,
) -> CliResult:
    """Run ``ombuds-desktop ARGS``.

    ``env`` is added to the current environment, or is the whole environment with
    ``replace_env``.  ``stdin`` is what the command reads (nothing when None).  ``text=False``
    gives ``bytes`` output.  ``timeout`` applies to ``in_process=False`` only.
    """
    argv = [os.fspath(a) for a in args]
    full_env = dict(env or {}) if replace_env else {**os.environ, **(env or {})}
    data = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
    if in_process:
        code, out, err = _in_process(argv, data, full_env)
    else:
        code, out, err = _subprocess(argv, data, full_env, timeout)
    if text:
        return CliResult(argv, code, out.decode("utf-8"), err.decode("utf-8"))
    return CliResult(argv, code, out, err)


def _subprocess(
    argv: list[str], data: bytes, env: dict[str, str], timeout: float
) -> tuple[int, bytes, bytes]:
    script = Path(sys.executable).parent / "ombuds-desktop"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "ombuds_desktop"]
    done = subprocess.run(
        [*cmd, *argv],
        input=data,
        capture_output=True,
        env=env,
        timeout=timeout,
    )
    return done.returncode, done.stdout, done.stderr


def _in_process(argv: list[str], data: bytes, env: dict[str, str]) -> tuple[int, bytes, bytes]:
    import keyring.core

    from ombuds_desktop.cli.main import main

    saved_env = dict(os.environ)
    saved_path = list(sys.path)
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    saved_backend = keyring.core._keyring_backend
    out, err = io.BytesIO(), io.BytesIO()
    streams = (
        io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"),
        io.TextIOWrapper(out, encoding="utf-8", write_through=True),
        io.TextIOWrapper(err, encoding="utf-8", write_through=True),
    )
    try:
        os.environ.clear()
        os.environ.update(env)
        extra = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        sys.path[:0] = [p for p in extra if p not in sys.path]
        backend = env.get("PYTHON_KEYRING_BACKEND")
        if backend:
            keyring.core.set_keyring(keyring.core.load_keyring(backend))
        sys.stdin, sys.stdout, sys.stderr = streams
        try:
            code = main(argv)
        except SystemExit as exc:  # what the interpreter would turn into an exit code
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                sys.stderr.write(f"{exc.code}\n")
                code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        return int(code), out.getvalue(), err.getvalue()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        for stream in streams:
            stream.detach()
        keyring.core._keyring_backend = saved_backend
        sys.path[:] = saved_path
        os.environ.clear()
        os.environ.update(saved_env)
