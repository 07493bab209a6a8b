"""Where the vault lives on disk and how its files are created private.

Layout of a data folder (every directory 0700, every file 0600)::

    <data dir>/vault.sqlite3      the database (plus -wal and -shm while open)
    <data dir>/blobs/ab/<id>      encrypted attachments; names are random ids

No path under the data folder is ever derived from client data.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import platformdirs

APP_NAME = "OmbudsDesktop"
ENV_DATA_DIR = "OMBUDS_DATA_DIR"
DB_NAME = "vault.sqlite3"
BLOB_DIR = "blobs"
DIR_MODE = 0o700
FILE_MODE = 0o600


def default_data_dir() -> Path:
    """The folder the vault uses: ``$OMBUDS_DATA_DIR`` if set, else the platform's user data dir."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(data_dir: str | os.PathLike[str] | None) -> Path:
    return Path(data_dir).expanduser() if data_dir is not None else default_data_dir()


def db_path(data_dir: Path) -> Path:
    return data_dir / DB_NAME


def blob_root(data_dir: Path) -> Path:
    return data_dir / BLOB_DIR


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) and make ``path`` itself 0700.

    Parents that already exist (a home folder, ``~/.local/share``) are left as
    they are; only folders this app owns are tightened.
    """
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if os.name == "posix":
        os.chmod(path, DIR_MODE)


def create_private_file(path: Path) -> int:
    """Open a new file for writing with mode 0600 from the first byte (no umask window)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, FILE_MODE)
    if os.name == "posix":
        os.fchmod(fd, FILE_MODE)
    return fd


def tighten_file(path: Path) -> None:
    """Make an existing file 0600 (SQLite's -wal/-shm files, files restored from a backup)."""
    if os.name == "posix":
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path, FILE_MODE)


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink in ``path`` durable (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Write a file 0600 via a temporary name and rename (never a half-written file)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with os.fdopen(create_private_file(tmp), "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
