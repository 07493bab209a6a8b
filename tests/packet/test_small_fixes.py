"""Issue 12, Why 9: e-mail part ranges, decimal megabytes, unknown ids refused."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default

import pytest

from ombuds_desktop.packet import MB, PacketError, PacketOptions, build_packet, check_evidence
from ombuds_desktop.packet.exports import export_eml, export_upload_folder
from ombuds_desktop.packet.options import megabytes

from .support import BUILD_DATE, make_jpeg
from .test_cli import run


def _body(path) -> str:
    msg = message_from_bytes(path.read_bytes(), policy=default)
    return msg.get_body(("plain",)).get_content()


def test_email_part_one_names_its_own_pages(case, tmp_path):
    for i in range(4):
        case.add("other", f"Photo {i}", f"photo{i}.jpg", make_jpeg(900, 1200, noise=True))
    options = PacketOptions(build_date=BUILD_DATE, email_budget=1_200_000)
    result = export_eml(case.draft, tmp_path / "e.eml", case.root, options=options)
    n, total = len(result.paths), result.packet.pages
    assert n >= 2
    body = _body(result.paths[0])
    assert f"(PDF, {total} pages)" not in body
    assert f"part 1 of {n}: packet pages 1–" in body and f"of {total}" in body
    assert f"parts 2–{n} follow in separate e-mails" in body


def test_single_email_names_the_whole_packet(case, tmp_path):
    result = export_eml(
        case.draft, tmp_path / "e.eml", case.root, options=PacketOptions(build_date=BUILD_DATE)
    )
    assert len(result.paths) == 1
    assert f"(PDF, {result.packet.pages} pages)" in _body(result.paths[0])


def test_megabytes_are_decimal_everywhere():
    assert MB == 1_000_000
    assert PacketOptions().email_budget == 10_000_000
    assert megabytes(9_600_000) == "9.6 MB"
    assert megabytes(250_000) == "0.2 MB"
    assert megabytes(12_345) == "12 KB"


@pytest.mark.parametrize("field", ["skip", "passwords"])
def test_unknown_ids_are_refused_by_name(case, tmp_path, field):
    value = frozenset({"att-nope"}) if field == "skip" else {"att-nope": "pw"}
    options = PacketOptions(build_date=BUILD_DATE, **{field: value})
    for call in (
        lambda: build_packet(case.draft, case.root, options=options),
        lambda: check_evidence(case.draft, case.root, options=options),
        lambda: export_upload_folder(case.draft, tmp_path / "up", case.root, options=options),
    ):
        with pytest.raises(PacketError, match="att-nope"):
            call()
    known = case.draft.attachments[0].id
    ok = {field: frozenset({known}) if field == "skip" else {known: "pw"}}
    build_packet(case.draft, case.root, options=PacketOptions(build_date=BUILD_DATE, **ok))


def test_cli_unknown_skip_is_one_clear_line(case, tmp_path):
    r = run(
        "packet",
        str(case.save()),
        "--out",
        str(tmp_path / "p.pdf"),
        "--date",
        "2026-11-24",
        "--skip",
        "att-typo",
    )
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "att-typo" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "p.pdf").exists()
