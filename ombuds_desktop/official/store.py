"""Where imported official forms live, and how one is found for a draft.

Layout, beside the vault in the data folder (``--data-dir`` / ``OMBUDS_DATA_DIR``)::

    <data dir>/official/<fingerprint[:16]>/form.pdf       the blank official PDF, as imported
    <data dir>/official/<fingerprint[:16]>/mapping.toml   its mapping (confirmed or not)

Folders 0700 and files 0600 like the vault's.  A blank government form holds no client
data, and neither does its mapping.  Mappings shipped with the app
(``forms/<form>/*.map.toml``) are found by fingerprint too; the user's own win.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ombuds_desktop import paths
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.mapping import Mapping, dumps_mapping, load_mapping
from ombuds_desktop.official.propose import propose
from ombuds_desktop.official.reader import MAX_PDF_BYTES, OfficialForm, read_official

STORE = "official"
PDF_NAME = "form.pdf"
MAP_NAME = "mapping.toml"


def store_dir(data_dir: str | Path | None = None) -> Path:
    from ombuds_desktop.vault.paths import resolve_data_dir

    return resolve_data_dir(data_dir) / STORE


@dataclass(slots=True)
class Imported:
    """One imported official form."""

    folder: Path
    mapping: Mapping

    @property
    def pdf_path(self) -> Path:
        return self.folder / PDF_NAME

    def read_pdf(self) -> bytes:
        try:
            data = self.pdf_path.read_bytes()
        except OSError as exc:
            raise OfficialFormError(
                f"the imported official PDF {self.pdf_path} cannot be read ({exc.strerror}); "
                "import it again"
            ) from None
        return data


@dataclass(slots=True)
class ImportResult:
    official: OfficialForm
    mapping: Mapping
    origin: str  # "imported" (the user's own, from before) | "shipped" | "proposal"
    saved: Path | None = None


def read_pdf_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_PDF_BYTES:
            raise OfficialFormError(
                f"{path.name} is larger than any official form "
                f"({MAX_PDF_BYTES // (1024 * 1024)} MB at most); check that it is the form"
            )
        return path.read_bytes()
    except OfficialFormError:
        raise
    except IsADirectoryError:
        raise OfficialFormError(f"{path} is a folder, not a PDF file") from None
    except OSError as exc:
        raise OfficialFormError(f"cannot read {path}: {exc.strerror}") from None


def shipped_mappings(definition: FormDefinition) -> list[Path]:
    folder = paths.forms_dir() / definition.id
    return sorted(folder.glob("*.map.toml")) if folder.is_dir() else []


def known_mapping(
    official: OfficialForm, definition: FormDefinition, data_dir: str | Path | None = None
) -> tuple[Mapping, str] | None:
    """A mapping made before for this PDF's field set: the user's own, else a shipped one."""
    own = store_dir(data_dir) / official.fingerprint[:16] / MAP_NAME
    if own.is_file():
        m = load_mapping(own, definition)
        if m.fingerprint == official.fingerprint:
            return m, "imported"
    for path in shipped_mappings(definition):
        try:
            m = load_mapping(path, definition)
        except OfficialFormError:
            continue  # a shipped mapping for another edition file
        if m.fingerprint == official.fingerprint:
            m.confirmed = True
            return m, "shipped"
    return None


def import_official(
    data: bytes,
    definition: FormDefinition,
    data_dir: str | Path | None = None,
    *,
    accept: bool = False,
    mapping: Mapping | None = None,
) -> ImportResult:
    """Read the PDF and find or propose its mapping; with ``accept`` (or a given, edited
    ``mapping``), save both as the user's confirmed mapping."""
    official = read_official(data)
    if mapping is not None:
        if mapping.fingerprint != official.fingerprint:
            raise OfficialFormError(
                "that mapping was made for another PDF (its fields differ from this one's)"
            )
        mapping.confirmed = True
        origin = "edited"
    else:
        known = known_mapping(official, definition, data_dir)
        if known is not None:
            mapping, origin = known
        else:
            mapping, origin = propose(official, definition), "proposal"
    saved = None
    if accept or origin in ("edited", "shipped") or (origin == "imported" and mapping.confirmed):
        if accept:
            mapping.confirmed = True
        mapping.pdf_sha256 = official.sha256
        saved = save(data, official, mapping, data_dir)
    return ImportResult(official, mapping, origin, saved)


def save(
    data: bytes, official: OfficialForm, mapping: Mapping, data_dir: str | Path | None = None
) -> Path:
    """Write the PDF and its mapping into the store (0700 folder, 0600 files, atomic)."""
    from ombuds_desktop.vault.paths import ensure_private_dir, write_private

    folder = store_dir(data_dir) / official.fingerprint[:16]
    try:
        ensure_private_dir(folder.parent)
        ensure_private_dir(folder)
        write_private(folder / PDF_NAME, data)
        write_private(folder / MAP_NAME, dumps_mapping(mapping).encode("utf-8"))
    except OSError as exc:
        raise OfficialFormError(
            f"cannot save the official form in {folder}: {exc.strerror}"
        ) from None
    mapping.source = folder / MAP_NAME
    return folder


def list_imports(data_dir: str | Path | None = None) -> tuple[list[Imported], list[str]]:
    """Every imported form, and a line for each folder that cannot be read."""
    root = store_dir(data_dir)
    found: list[Imported] = []
    problems: list[str] = []
    if not root.is_dir():
        return found, problems
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        path = folder / MAP_NAME
        if not path.is_file():
            continue
        try:
            found.append(Imported(folder, load_mapping(path)))
        except OfficialFormError as exc:
            problems.append(f"{folder.name}: {exc}")
    return found, problems


def find_for(
    definition: FormDefinition, data_dir: str | Path | None = None
) -> tuple[Imported, OfficialForm] | None:
    """The imported official form the packet uses for this edition: confirmed and fully
    mapped, its PDF still the one imported.  None: the typeset form is used."""
    found, _ = list_imports(data_dir)
    candidates = []
    for imp in found:
        if imp.mapping.form != definition.key or not imp.mapping.confirmed:
            continue
        candidates.append(imp)
    candidates.sort(key=lambda i: -(i.folder / MAP_NAME).stat().st_mtime)
    for imp in candidates:
        try:
            data = imp.read_pdf()
            official = read_official(data)
            load_mapping(imp.folder / MAP_NAME, definition)
        except OfficialFormError:
            continue
        if official.fingerprint != imp.mapping.fingerprint:
            continue
        if imp.mapping.fully_mapped(official):
            return imp, official
    return None
