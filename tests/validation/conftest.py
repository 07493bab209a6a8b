"""Shared helpers for the validation tests.

Every test starts from a complete built-in sample (no errors on TODAY) and
changes one thing, so each test isolates one rule or one field check.  The
clock is always TODAY; nothing depends on the real date.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import pytest

from ombuds_desktop import paths
from ombuds_desktop.draft.interchange import loads
from ombuds_desktop.draft.model import Attachment, Draft
from ombuds_desktop.formdef import FormDefinition
from ombuds_desktop.formdef.loader import parse_definition
from ombuds_desktop.samples import sample_path
from ombuds_desktop.validation import Finding, validate_draft

TODAY = date(2026, 11, 24)
EDITION = "dhs-7001/2022-11"
GOOD_SAMPLES = (
    "vawa-self",
    "attorney-employer",
    "asylee-attorney",
    "family-parent",
    "family-child-a",
    "family-child-b",
)

#: A message a person can read: starts like a sentence, ends like one.
SENTENCE = re.compile(r"^[\"'(A-Z0-9].*\s.*[.?!][\"')]?$", re.S)


def sample(name: str = "vawa-self") -> Draft:
    """A fresh copy of a built-in sample (safe to change): parsed again from its text, read
    once a run (some tests take thousands of copies)."""
    return loads(_sample_bytes(name))


@functools.cache
def _sample_bytes(name: str) -> bytes:
    return sample_path(name).read_bytes()


def validate(draft: Draft, **kwargs: Any) -> list[Finding]:
    """``validate_draft`` with the fixed clock, no file checks, unless told otherwise."""
    kwargs.setdefault("today", TODAY)
    return validate_draft(draft, **kwargs)


def codes(findings: Iterable[Finding]) -> set[str]:
    return {f.code for f in findings}


def rule_codes(findings: Iterable[Finding], rule_id: str) -> set[str]:
    """Codes emitted by one rule ("R2" -> {"R2-too-soon", ...}); never matches R20 for R2."""
    return {f.code for f in findings if f.code.startswith(f"{rule_id}-")}


ANY_FIELD = object()


def find_all(
    findings: Iterable[Finding], code: str, field: str | None | object = ANY_FIELD
) -> list[Finding]:
    return [f for f in findings if f.code == code and (field is ANY_FIELD or f.field == field)]


def find(findings: Iterable[Finding], code: str, field: str | None | object = ANY_FIELD) -> Finding:
    """The one finding with ``code`` (and ``field``, if given); fails the test otherwise."""
    findings = list(findings)
    found = find_all(findings, code, field)
    where = "" if field is ANY_FIELD else f" on {field!r}"
    assert len(found) == 1, (
        f"expected exactly one {code!r}{where}, got {len(found)}:\n"
        + "\n".join(f"  {f}" for f in findings)
    )
    return found[0]


def expect(
    findings: Iterable[Finding], code: str, severity: str, field: str | None, *fragments: str
) -> Finding:
    """Exactly one ``code`` finding, on ``field``, with ``severity``, naming each fragment."""
    found = find(findings, code, field)
    assert found.severity == severity, found
    for fragment in fragments:
        assert fragment in found.message, f"{fragment!r} not in {found.message!r}"
    assert SENTENCE.match(found.message), found.message
    return found


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def on_field(findings: Iterable[Finding], field: str) -> list[Finding]:
    return [f for f in findings if f.field == field]


def attach(draft: Draft, category: str, description: str = "Supporting document") -> Draft:
    draft.attachments.append(
        Attachment(category, description, f"files/{category}.pdf", "2026-11-01")
    )
    return draft


def detach(draft: Draft, *categories: str) -> Draft:
    draft.attachments = [a for a in draft.attachments if a.category not in categories]
    return draft


def edition_data() -> dict[str, Any]:
    """The raw TOML of the 2022-11 edition, to build altered editions from."""
    with open(paths.forms_dir() / "dhs-7001" / "2022-11.toml", "rb") as fh:
        return tomllib.load(fh)


def altered_edition(change: Callable[[dict[str, Any]], None]) -> FormDefinition:
    data = edition_data()
    change(data)
    return parse_definition(data, "altered test edition")


def edition_without(*field_ids: str) -> FormDefinition:
    """The 2022-11 edition minus some top-level fields (and conditions naming them)."""
    drop = set(field_ids)

    def change(data: dict[str, Any]) -> None:
        for section in data["sections"]:
            section["fields"] = [f for f in section.get("fields", []) if f["id"] not in drop]

    return altered_edition(change)


def field_def(data: dict[str, Any], field_id: str) -> dict[str, Any]:
    """The raw TOML table of a top-level field, to change in an altered edition."""
    for section in data["sections"]:
        for f in section.get("fields", []):
            if f["id"] == field_id:
                return f
    raise KeyError(field_id)


@pytest.fixture
def vawa() -> Draft:
    return sample("vawa-self")


@pytest.fixture
def employer() -> Draft:
    return sample("attorney-employer")


@pytest.fixture
def asylee() -> Draft:
    return sample("asylee-attorney")


@pytest.fixture
def parent() -> Draft:
    return sample("family-parent")


@pytest.fixture
def child() -> Draft:
    return sample("family-child-a")


# ------------------------------------------------------------ entry points


def run_main(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """The real command line, in process (argument parsing, handlers, exit codes)."""
    from ombuds_desktop.cli.main import main

    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _stand_in(suffix: str) -> bytes:
    """A real, readable file of the kind the name says (validate now looks inside files)."""
    import io

    buf = io.BytesIO()
    if suffix in (".jpg", ".jpeg", ".png", ".tif", ".tiff"):
        from PIL import Image

        fmt = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}.get(suffix, "TIFF")
        Image.new("RGB", (850, 1100), "white").save(buf, fmt)
    else:
        from reportlab.pdfgen import canvas

        c = canvas.Canvas(buf)
        c.drawString(72, 720, "Stand-in document for a test")
        c.save()
    return buf.getvalue()


def write_draft(folder: Any, draft: Draft, name: str) -> Any:
    """``draft`` as an interchange file in ``folder``, with stand-in attachment files."""
    from ombuds_desktop.draft import dumps

    folder.mkdir(parents=True, exist_ok=True)
    for att in draft.attachments:
        target = folder / att.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_bytes(_stand_in(target.suffix.lower()))
    path = folder / f"{name}.json"
    path.write_text(dumps(draft), encoding="utf-8")
    return path


VAULT_PASSPHRASE = "correct horse battery staple for tests"


@pytest.fixture
def vault_env(tmp_path: Any, monkeypatch: Any) -> Any:
    """A passphrase vault in tmp_path, named by OMBUDS_DATA_DIR for the command line."""
    from ombuds_desktop.validation.status import describe_draft
    from ombuds_desktop.vault import Vault

    data = tmp_path / "data"
    vault, _ = Vault.create(data, passphrase=VAULT_PASSPHRASE, describe=describe_draft)
    secret = tmp_path / "passphrase.txt"
    secret.write_text(VAULT_PASSPHRASE, encoding="utf-8")
    monkeypatch.setenv("OMBUDS_DATA_DIR", str(data))
    monkeypatch.setenv("OMBUDS_PASSPHRASE_FILE", str(secret))
    yield vault
    vault.close()


def import_into(vault: Any, draft: Draft, folder: Any, name: str) -> Draft:
    """Import ``draft`` into the vault with stand-in files for its attachments."""
    from ombuds_desktop.draft import read_draft_file
    from ombuds_desktop.validation.status import prepare_import

    path = write_draft(folder, draft, name)
    return vault.import_draft(prepare_import(read_draft_file(path)), folder)
