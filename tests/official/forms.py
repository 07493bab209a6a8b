"""Made-up "official" fillable PDFs, built the way government forms are built.

reportlab's AcroForm makes the fields; pikepdf then gives them the hierarchical names of
a LiveCycle-designed form (``form1[0].#subform[0].Pt5Line1_FamilyName[0]``) and check
boxes the export values such forms use ("PT", "1", never only "Yes").  Each spec is
plain data so the tests can say what a field should map to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

import pikepdf
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class Spec:
    name: str  # short name; the full name is prefixed by the hierarchy
    kind: str  # text | checkbox | radio | choice | signature
    page: int
    rect: tuple[float, float, float, float]  # x, y, width, height
    tooltip: str = ""
    label: str = ""  # printed left of / above the field
    export: str = ""  # check box export value
    values: tuple[str, ...] = ()  # radio export values (one widget each) / choice options
    flags: str = ""
    maxlen: int | None = None
    expect: str = ""  # the target the proposal should find ("" = unmapped or skipped)
    option: object = None
    required: bool = False


HEADER = (
    "DHS Form 7001   Request for Case Assistance   OMB No. 1601-0004   "
    "Expires 09/30/2025   Edition 11/02/22"
)


def edition_a() -> list[Spec]:
    """Tooltips with item numbers, government-style names, three pages."""
    return [
        Spec("Pt2_Reason1", "checkbox", 0, (60, 640, 12, 12),
             "Section 2. Case outside published processing times, or no published time and "
             "pending more than 6 months", export="PT", expect="s2.reasons",
             option="processing_time"),
        Spec("Pt2_Reason2", "checkbox", 0, (60, 620, 12, 12),
             "Section 2. Notice, decision or card not received", export="NR",
             expect="s2.reasons", option="not_received"),
        Spec("Pt2_Reason3", "checkbox", 0, (60, 600, 12, 12),
             "Section 2. Emergency or hardship that meets the USCIS expedite criteria",
             export="EX", expect="s2.reasons", option="expedite"),
        Spec("Pt2Line2_Explanation", "text", 0, (60, 470, 480, 80),
             "2. Explanation of the difficulty and of the attempts to resolve it with USCIS",
             flags="multiline", expect="s2.explanation"),
        Spec("Pt3Row1_FormNumber", "text", 0, (60, 400, 100, 18),
             "Section 3. Row 1. USCIS form number", expect="s3.filings[0].form_number"),
        Spec("Pt3Row1_ReceiptNumber", "text", 0, (170, 400, 200, 18),
             "Section 3. Row 1. Receipt number", flags="comb", maxlen=13,
             expect="s3.filings[0].receipt_number"),
        Spec("Pt3Row1_ReceiptDate", "text", 0, (380, 400, 100, 18),
             "Section 3. Row 1. USCIS receipt date", expect="s3.filings[0].receipt_date"),
        Spec("Pt3Row2_FormNumber", "text", 0, (60, 370, 100, 18),
             "Section 3. Row 2. USCIS form number", expect="s3.filings[1].form_number"),
        Spec("Pt3Row2_ReceiptNumber", "text", 0, (170, 370, 200, 18),
             "Section 3. Row 2. Receipt number", flags="comb", maxlen=13,
             expect="s3.filings[1].receipt_number"),
        Spec("Pt3Row2_ReceiptDate", "text", 0, (380, 370, 100, 18),
             "Section 3. Row 2. USCIS receipt date", expect="s3.filings[1].receipt_date"),
        Spec("Pt5_PartyType", "radio", 1, (60, 700, 12, 12),
             "Section 5. The applicant or petitioner is", values=("Ind", "Org"),
             expect="s5.party_type"),
        Spec("Pt5Line1_FamilyName", "text", 1, (60, 640, 150, 18),
             "5. Family Name (Last Name)", expect="s5.name.family", required=True),
        Spec("Pt5Line1_GivenName", "text", 1, (220, 640, 150, 18),
             "5. Given Name (First Name)", expect="s5.name.given"),
        Spec("Pt5Line1_MiddleName", "text", 1, (380, 640, 150, 18),
             "5. Middle Name", expect="s5.name.middle"),
        Spec("Pt5Line2_DateOfBirth", "text", 1, (60, 600, 100, 18),
             "5. Date of Birth (mm/dd/yyyy)", expect="s5.dob"),
        Spec("Pt5Line3_ANumber", "text", 1, (220, 600, 140, 18),
             "5. Alien Registration Number (A-Number)", flags="comb", maxlen=9,
             expect="s5.a_number"),
        Spec("Pt5Line4_StreetName", "text", 1, (60, 560, 250, 18),
             "5. Mailing Address. Street Number and Name", expect="s5.address.street"),
        Spec("Pt5Line4_City", "text", 1, (60, 530, 150, 18),
             "5. Mailing Address. City or Town", expect="s5.address.city"),
        Spec("Pt5Line4_State", "choice", 1, (220, 530, 60, 18),
             "5. Mailing Address. State", values=("CA", "FL", "NY", "TX", "VA"),
             expect="s5.address.state"),
        Spec("Pt5Line4_ZipCode", "text", 1, (290, 530, 80, 18),
             "5. Mailing Address. ZIP Code", expect="s5.address.postal_code"),
        Spec("Pt5Line5_FamilyBox", "checkbox", 1, (60, 490, 12, 12),
             "5. Another family member also needs assistance", export="1",
             expect="s5.family_box", option=True),
        Spec("Pt9_SignerName", "text", 2, (60, 600, 250, 18),
             "Section 9. Printed name of signer", expect="s9.signer_name"),
        Spec("Pt9_Signature", "text", 2, (60, 560, 250, 18),
             "Section 9. Signature of applicant or petitioner", expect=""),
        Spec("Pt9_DateOfSignature", "text", 2, (330, 560, 100, 18),
             "Section 9. Date of signature", expect="s9.date"),
    ]  # fmt: skip


def edition_b() -> list[Spec]:
    """The "next edition": renamed fields, tooltips without item numbers, labels on the page."""
    renames = {
        "Pt5Line1_FamilyName": ("P5_L1a_LastName", "Last name", "Family name"),
        "Pt5Line1_GivenName": ("P5_L1b_FirstName", "", "First name"),
        "Pt5Line2_DateOfBirth": ("P5_L2_DOB", "Date of birth", "Date of birth"),
        "Pt2Line2_Explanation": ("P2_L2_Explain", "", "Explain the difficulty and what you did"),
    }
    out = []
    for s in edition_a():
        if s.name in renames:
            new, tip, label = renames[s.name]
            out.append(Spec(new, s.kind, s.page, s.rect, tip, label, s.export, s.values,
                            s.flags, s.maxlen, s.expect, s.option, s.required))  # fmt: skip
        elif s.name.startswith(("Pt5", "Pt2", "Pt3", "Pt9")):
            out.append(s)
    return out


def build(specs: list[Spec], *, hierarchy: bool = True, header: str = HEADER) -> bytes:
    """A fillable PDF with these fields (and their printed labels and the header)."""
    buf = BytesIO()
    c = Canvas(buf, pagesize=letter, invariant=1)
    pages = max(s.page for s in specs) + 1
    for page in range(pages):
        c.setFont("Helvetica", 8)
        c.drawString(40, 760, header)
        c.drawString(40, 40, f"DHS Form 7001 (11/02/22)  Page {page + 1} of {pages}")
        if page == 2:
            c.setFont("Helvetica-Bold", 10)
            c.drawString(40, 700, "Section 9. Consent for Applicant/Petitioner")
        for s in (s for s in specs if s.page == page):
            x, y, w, h = s.rect
            if s.label:
                c.setFont("Helvetica", 7)
                c.drawString(x, y + h + 2, s.label)
            form = c.acroForm
            if s.kind == "text" or s.kind == "signature":
                form.textfield(name=s.name, tooltip=s.tooltip or None, x=x, y=y, width=w,
                               height=h, fieldFlags=s.flags + (" required" if s.required else ""),
                               maxlen=s.maxlen, borderWidth=0.5, fontSize=0)  # fmt: skip
            elif s.kind == "checkbox":
                form.checkbox(name=s.name, tooltip=s.tooltip or None, x=x, y=y, size=w,
                              fieldFlags="", borderWidth=0.5)  # fmt: skip
            elif s.kind == "radio":
                for k, v in enumerate(s.values):
                    form.radio(name=s.name, tooltip=s.tooltip or None, value=v, x=x + 80 * k,
                               y=y, size=w, fieldFlags="noToggleToOff radio",
                               borderWidth=0.5)  # fmt: skip
                    c.setFont("Helvetica", 7)
                    c.drawString(x + 80 * k + w + 3, y + 2, v)
            elif s.kind == "choice":
                form.choice(name=s.name, tooltip=s.tooltip or None, x=x, y=y, width=w, height=h,
                            options=list(s.values), value=s.values[0], borderWidth=0.5)  # fmt: skip
        c.showPage()
    c.save()
    return _post(buf.getvalue(), specs, hierarchy)


def _post(data: bytes, specs: list[Spec], hierarchy: bool) -> bytes:
    by_name = {s.name: s for s in specs}
    with pikepdf.open(BytesIO(data)) as pdf:
        acro = pdf.Root.AcroForm
        for f in acro.Fields:
            s = by_name.get(str(f.T))
            if s is None:
                continue
            if s.kind == "checkbox":
                widgets = f.Kids if "/Kids" in f else [f]
                for w in widgets:
                    n = w.AP.N
                    n[pikepdf.Name("/" + s.export)] = n.Yes
                    del n["/Yes"]
                    if "/D" in w.AP:
                        d = w.AP.D
                        d[pikepdf.Name("/" + s.export)] = d.Yes
                        del d["/Yes"]
                    w.AS = pikepdf.Name.Off
                f.V = pikepdf.Name.Off
            if s.kind == "choice":
                f.V = pikepdf.String("")  # the blank form has no answer
            if s.kind == "text" and "/V" in f:
                f.V = pikepdf.String("")
        if hierarchy:
            form1 = pdf.make_indirect(
                pikepdf.Dictionary(T=pikepdf.String("form1[0]"), Kids=pikepdf.Array())
            )
            sub = pdf.make_indirect(
                pikepdf.Dictionary(
                    T=pikepdf.String("#subform[0]"), Kids=pikepdf.Array(), Parent=form1
                )
            )
            form1.Kids.append(sub)
            for f in acro.Fields:
                f.T = pikepdf.String(f"{f.T}[0]")
                f.Parent = sub
                sub.Kids.append(f)
            acro.Fields = pikepdf.Array([form1])
        out = BytesIO()
        pdf.save(out)
        return out.getvalue()


def full_name(short: str, hierarchy: bool = True) -> str:
    return f"form1[0].#subform[0].{short}[0]" if hierarchy else short


def xfa_only() -> bytes:
    """A LiveCycle dynamic form: an XFA packet and no AcroForm fields at all."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    xfa = pdf.make_stream(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>')
    pdf.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array(), XFA=pikepdf.Array([pikepdf.String("template"), xfa])
    )
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def flattened() -> bytes:
    """The form printed to PDF: its text, no fields."""
    buf = BytesIO()
    c = Canvas(buf, pagesize=letter, invariant=1)
    c.setFont("Helvetica", 9)
    c.drawString(40, 760, HEADER)
    c.drawString(60, 700, "5. Family Name (Last Name) ____________________")
    c.showPage()
    c.save()
    return buf.getvalue()


def encrypted(data: bytes) -> bytes:
    with pikepdf.open(BytesIO(data)) as pdf:
        out = BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
        return out.getvalue()


@dataclass
class Sample:
    values: dict = field(default_factory=dict)
