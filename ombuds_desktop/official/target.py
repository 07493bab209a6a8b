"""The imported official form a draft's packet uses, found once and handed around as data.

:func:`packet_target` answers "which official PDF would the packet fill for this edition?"
(confirmed, fully mapped, still the file imported) or None (the typeset form).  Every
caller asks it, the CLI, the window and the packet, so they cannot disagree: the
checks before filling (``validate_draft(..., official=target)``), the packet's form
and its wet-ink Section 9 page all come from the same answer.

The answer is kept while the store's files are unchanged (same names, sizes and
modification times), so the window can ask on every revalidation without reading and
parsing the PDF each time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ombuds_desktop.draft import Draft
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.mapping import Mapping
from ombuds_desktop.official.reader import OfficialForm
from ombuds_desktop.validation.findings import Finding


@dataclass(frozen=True, slots=True, eq=False)
class OfficialTarget:
    """An imported official form, parsed, with its confirmed mapping (treat as read-only)."""

    folder: Path
    official: OfficialForm
    mapping: Mapping
    pdf: bytes

    def findings(self, draft: Draft, definition: FormDefinition) -> list[Finding]:
        """What this official form cannot show as the draft says it (``official-*``).

        Nothing when the form cannot be planned at all: the packet then uses the typeset
        form and says why in its notes."""
        from ombuds_desktop.official.checks import plan_findings

        try:
            return plan_findings(self.official, self.mapping, draft, definition)
        except OfficialFormError:
            return []


_Key = tuple[str, str, tuple[tuple[str, int, int, int], ...]]
_cache: dict[tuple[str, str], tuple[_Key, OfficialTarget | None]] = {}


def _store_state(root: Path) -> tuple[tuple[str, int, int, int], ...]:
    """Name, size, mtime and inode of every file in the store: any change is seen."""
    out = []
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        return ()
    for folder in folders:
        for name in ("mapping.toml", "form.pdf"):
            try:
                st = (folder / name).stat()
            except OSError:
                continue
            out.append((f"{folder.name}/{name}", st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def packet_target(
    definition: FormDefinition, data_dir: str | Path | None = None
) -> OfficialTarget | None:
    """The official form the packet fills for ``definition``'s edition, or None (typeset).

    ``data_dir`` is the data folder (None: ``OMBUDS_DATA_DIR`` or the platform's).  A
    store that cannot be read counts as no official form: the packet says which form
    it used in its manifest.
    """
    from ombuds_desktop.official.store import find_for, store_dir

    root = store_dir(data_dir)
    slot = (str(root), definition.key)
    key: _Key = (str(root), definition.key, _store_state(root))
    cached = _cache.get(slot)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        found = find_for(definition, data_dir)
        target = None
        if found is not None:
            imported, official = found
            target = OfficialTarget(
                imported.folder, official, imported.mapping, imported.read_pdf()
            )
    except (OfficialFormError, OSError):
        target = None
    _cache[slot] = (key, target)
    return target
