"""Issue 14: e-mail drafts carry the minimum; the upload folder names the G-28 right.

An e-mail crosses many servers: its subject and plain-text body name the
client by initials with the form and receipt numbers, never the full name,
the A-Number or the date of birth (the attached request carries them).  From
is the sender's own address, or the export says why there is none.  Read
from the written ``.eml`` files, parsed with the ``email`` module.
"""

from __future__ import annotations

import os
import re
from email.parser import BytesParser
from email.policy import default
from io import BytesIO

import pytest
from PIL import Image

from ombuds_desktop.dates import format_us
from ombuds_desktop.draft import facts
from ombuds_desktop.packet import PacketOptions
from ombuds_desktop.packet.cover_letter import initials, sender
from ombuds_desktop.packet.exports import export_eml, export_upload_folder
from ombuds_desktop.samples import sample_names

from .support import BUILD_DATE, acknowledged_sample, pdfinfo, pdftotext

KB = 1024


def _private(draft) -> list[str]:
    """What must not travel in an e-mail's subject or body: names, A-Number, date of birth."""
    out = []
    name = facts.value(draft, "client_name")
    if isinstance(name, dict):  # the family name alone may be the sending parent's too
        out += [facts.client_name(draft), facts.person_name(name, family_first=True)]
        out += str(name.get("given") or "").split()
    a_number = re.sub(r"\D", "", str(facts.value(draft, "client_a_number") or ""))
    if len(a_number) >= 7:  # a real A-Number; a short typo may sit inside a receipt number
        out += [a_number, a_number.lstrip("0")]
    dob = facts.value(draft, "client_dob")
    if dob:
        out += [str(dob), format_us(dob)]
    signer = sender(draft)[0]  # the sample "mistakes" gives the attorney the client's name
    return [x for x in out if len(x) > 1 and x not in signer]


@pytest.mark.slow
@pytest.mark.parametrize("name", sample_names())
def test_email_carries_initials_and_receipt_number_only(name, tmp_path):
    draft, base, options = acknowledged_sample(name, tmp_path)
    result = export_eml(draft, tmp_path / "e.eml", base, options=options)
    for path in result.paths:
        msg = BytesParser(policy=default).parsebytes(path.read_bytes())
        subject = " ".join(str(msg["Subject"]).split())
        body = msg.get_body(("plain",)).get_content()
        digits = re.sub(r"\D", "", body)
        for secret in _private(draft):
            assert secret not in subject, (secret, subject)
            assert secret not in body, (secret, body)
            if secret.isdigit():  # an A-Number in any spelling (A-208-555-031, 208555031)
                assert secret not in digits
        assert "A-Number" not in body and "Date of birth" not in body
        assert initials(draft) in subject
        primary = facts.primary_filing(facts.with_forced_answers(draft))
        if primary is not None and primary.receipt_number:
            assert primary.receipt_number in subject
        # an attachment is "attached", not "enclosed"
        assert "enclosed" not in body.lower()
        assert "attached" in body.lower()
        # From: the sender's own address, or a note saying why there is none
        sender_email = next(
            (
                str(facts.value(draft, f"{role}_email"))
                for role in ("rep",)
                if facts.is_represented(draft) and facts.value(draft, f"{role}_email")
            ),
            None,
        )
        if msg["From"]:
            assert "@" in msg["From"]
            if facts.is_represented(draft):
                assert sender_email and sender_email in msg["From"]
        else:
            assert any("no From address" in n for n in result.notes), result.notes


def test_represented_draft_never_sends_from_the_clients_address(tmp_path):
    """attorney-employer: the petitioner's address is in Section 5; From is the attorney's."""
    draft, base, options = acknowledged_sample("attorney-employer", tmp_path)
    result = export_eml(draft, tmp_path / "e.eml", base, options=options)
    msg = BytesParser(policy=default).parsebytes(result.paths[0].read_bytes())
    assert "intake@okafor-reyes-law.example" in msg["From"]
    # negative case: without the attorney's address, no From at all (never the client's)
    del draft.values[facts.field_id(draft, "rep_email")]  # now an error: a draft packet
    result = export_eml(draft, tmp_path / "f.eml", base, options=options.with_(allow_draft=True))
    msg = BytesParser(policy=default).parsebytes(result.paths[0].read_bytes())
    assert msg["From"] is None
    (note,) = [n for n in result.notes if "no From address" in n]
    assert "attorney or accredited representative" in note


def test_vawa_self_petitioner_email_says_why_it_has_no_from(tmp_path):
    draft, base, options = acknowledged_sample("vawa-self", tmp_path)
    result = export_eml(draft, tmp_path / "e.eml", base, options=options)
    msg = BytesParser(policy=default).parsebytes(result.paths[0].read_bytes())
    assert msg["From"] is None
    assert any("no From address" in n and "Section 5" in n for n in result.notes)
    body = msg.get_body(("plain",)).get_content()
    assert "Nguyễn" not in body and "T.Á.N." in body


def test_self_filer_from_has_no_display_name(tmp_path):
    draft, base, options = acknowledged_sample("family-parent", tmp_path)
    result = export_eml(draft, tmp_path / "e.eml", base, options=options)
    msg = BytesParser(policy=default).parsebytes(result.paths[0].read_bytes())
    assert msg["From"] == "amina.haddad@mail.example"
    assert not [n for n in result.notes if "From" in n]


# -- the online-upload folder --------------------------------------------------------------------


def test_upload_g28_is_named_g28(case, tmp_path):
    result = export_upload_folder(
        case.draft, tmp_path / "up", case.root, options=PacketOptions(build_date=BUILD_DATE)
    )
    g28 = result.files[0]
    assert g28.name == "01_G-28_g28.pdf"
    data = g28.read_bytes()
    text = " ".join(pdftotext(data).split())
    assert "Form G-28 · p. 1 of 2" in text and "G 28" not in text
    assert pdfinfo(data)["Title"].startswith("Form G-28: ")


def _noise_jpeg(w: int, h: int) -> bytes:
    buf = BytesIO()
    Image.frombytes("RGB", (w, h), os.urandom(w * h * 3)).save(buf, "JPEG", quality=95)
    return buf.getvalue()


def test_one_page_over_the_budget_is_kept_whole_and_said_so(case, tmp_path):
    """Not "split into 1 files": a single page over the budget cannot be split."""
    case.add("other", "Photo of the notice", "big.jpg", _noise_jpeg(1500, 2000))
    budget = 256 * KB
    result = export_upload_folder(
        case.draft,
        tmp_path / "up",
        case.root,
        options=PacketOptions(build_date=BUILD_DATE, upload_budget=budget),
    )
    big = [p for p in result.files if "_Exhibit-D_" in p.name]
    assert [p.name for p in big] == ["05_Exhibit-D_other.pdf"]
    assert big[0].stat().st_size > budget
    assert not any("split into 1 files" in n for n in result.notes)
    assert any("could not be split" in n and "kept whole" in n for n in result.notes)
    assert not any(re.search(r"\b1 files\b", n) for n in result.notes)
