"""Why each rule exists, and the sentence of the CIS Ombudsman's pages it rests on.

HTS is "How to Submit a Case Assistance Request" (05/31/2023), TIPS the "Tips
for Submitting a Case Assistance Request"; both are the project's
authoritative seeds.  REF is ``dhs-7001.md`` (the developer reference).  The
severities and codes are read from each rule's code, so ``docs/rules.md``
(``ombuds-desktop rules --markdown``) cannot drift from what the rules do.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from ombuds_desktop.validation.rules import RULES, RuleSpec


@dataclass(frozen=True, slots=True)
class RuleDoc:
    why: str  # the reasoning, including why this severity
    source: str  # the seed sentence or reference line


HTS, TIPS, REF = "HTS", "TIPS", "REF"

DOCS: dict[str, RuleDoc] = {
    "R1": RuleDoc(
        "The office asks that USCIS be tried first; a warning, since the office may still "
        "take the request.",
        'HTS: "Before you request assistance from us, seek help from USCIS first."',
    ),
    "R2": RuleDoc(
        "Counts only real contacts with USCIS (not status or processing-time checks, not a "
        "congressional inquiry). The 60-day wait yields to urgent reasons, a passed "
        "statutory time and lockbox cases, which have their own clocks. A warning: the rule "
        "is not on the current HTS text.",
        'REF R2 (other page version): "contacted USCIS in the last 90 days and given the '
        'agency at least 60 days".',
    ),
    "R3": RuleDoc(
        "Measured from the USCIS receipt date of the primary filing only; a case without a "
        "receipt notice is judged by the lockbox rule instead. Reasons that do not depend on "
        "delay (typo, lost file, ...) are not held to it. Warning: 'with few exceptions'.",
        'HTS: "we CANNOT help if: Your case is within published processing times unless '
        'there is a statutory or regulatory processing time requirement".',
    ),
    "R4": RuleDoc(
        "Six months from the USCIS receipt date (never the lockbox delivery date). Warning: "
        "'with few exceptions'.",
        'HTS: "There is no published processing time for the form type, and less than 6 '
        'months have passed since you filed your form with USCIS."',
    ),
    "R5": RuleDoc(
        "Processing times change and the app cannot look them up; information only.",
        "HTS: \"Go to USCIS' Check Case Processing Times page to see if your case is outside "
        'of published processing times".',
    ),
    "R6": RuleDoc(
        "A denied expedite is a 'cannot help' item, with few exceptions; a warning plus a "
        "note on exceptional priority assistance.",
        'HTS: "we CANNOT help if: ... USCIS has denied an expedite request."',
    ),
    "R7": RuleDoc(
        "Only USCIS can expedite (warning when no request to USCIS is recorded); the "
        "evidence of the criteria is what the request rests on, so it is required (error).",
        'HTS: "only USCIS can approve or deny ... expedite requests"; TIPS: "how you meet '
        "one of USCIS' expedite criteria, such as medical records or eviction notices\".",
    ),
    "R8": RuleDoc(
        "A 'cannot help' item; a warning because the request may still involve USCIS.",
        'HTS: "we CANNOT help if: ... You are seeking legal advice."',
    ),
    "R9": RuleDoc(
        "A 'cannot help' item; a warning.",
        'HTS: "we CANNOT help if: ... You are seeking assistance with an issue that does not '
        'involve USCIS."',
    ),
    "R10": RuleDoc(
        "Thirty calendar days from the latest congressional inquiry (the screener date or a "
        "1A congressional row), with the first eligible date.",
        'HTS: "It has been less than 30 calendar days since your congressional '
        'representative made an inquiry to USCIS."',
    ),
    "R11": RuleDoc(
        "Changing a decision is a 'cannot help' item unless it rests on a clear error; a warning.",
        'HTS: "You are seeking to change a decision made by USCIS unless the decision is '
        'based on a clear error."',
    ),
    "R12": RuleDoc(
        "A clear-error claim without the documents that show it cannot be reviewed; error.",
        'HTS: "if you are requesting assistance with a USCIS error, submit an explanation '
        'and documentation to show why you believe there is an error."',
    ),
    "R13": RuleDoc(
        "Information only.",
        'HTS: "We also CANNOT: ... Fix actions resulting from bad information given by third '
        'parties".',
    ),
    "R14": RuleDoc(
        "Information only.",
        'HTS: "We also CANNOT: ... Urge USCIS to take action on a pending application".',
    ),
    "R15": RuleDoc(
        "A representative's request needs the G-28 (or proof of its submission) for USCIS to "
        "answer the office; error.",
        'HTS: "you need to include a copy of the Form G-28 ... on file with USCIS for the '
        'form you are seeking assistance with"; TIPS: "If USCIS has not accepted your Form '
        'G-28, please provide proof of your submission".',
    ),
    "R16": RuleDoc(
        "A G-28 for another form does not cover this request (error); a receipt mismatch may "
        "be a typo (warning). Exactly one primary filing is needed to compare (error).",
        'HTS: "the Form G-28 ... on file with USCIS for the form you are seeking assistance with".',
    ),
    "R17": RuleDoc(
        "Only a representative with a G-28 may sign Section 9 for the client; error.",
        'TIPS: "If you are an attorney or accredited representative ... you can sign section '
        '9 ... on behalf of your client."',
    ),
    "R18": RuleDoc(
        "Information only.",
        'HTS: "Communicate with anyone other than the benefit requestor ... or the attorney '
        'without written consent from the benefit requestor."',
    ),
    "R19": RuleDoc(
        "Without the written consent the office cannot act for a preparer; error.",
        'HTS: "Family members, congressional caseworkers, and others may help prepare the '
        "case assistance request. However, you must include written consent from the "
        'applicant or petitioner."',
    ),
    "R20": RuleDoc(
        "The client's own ink signature is required (error when missing for an online or "
        "e-mail filing). When the attorney signs Section 9 on the client's behalf, as the tip "
        "sheet allows, the client's scan is Ombuds Desktop's conservative default and only a "
        "warning to acknowledge.",
        'HTS/TIPS: "If you are an applicant or self-petitioner for (or were previously '
        "granted) T, U, VAWA, asylee, or refugee status, you need to submit your 'wet ink' "
        '(non-electronic) signature."',
    ),
    "R21": RuleDoc(
        "Mail only is set by the core for every entry point (never reported as missing); the "
        "address must match USCIS records or the office's letters go astray (error). An "
        "accredited representative alone is a warning (HTS words it two ways).",
        'HTS: "if you are applying, or applied, for T, U, VAWA, or refugee status and do not '
        "have an attorney or accredited representative, your address must match the address "
        'in USCIS systems; we can only communicate with you via U.S. postal mail".',
    ),
    "R22": RuleDoc(
        "Section 5 naming the beneficiary, the attorney or the requester (as a person or as "
        "an organization name) makes the request about the wrong person; error.",
        "HTS: \"you must put the petitioner's or applicant's name as the person encountering "
        "difficulties with USCIS in Section 5 ... Do not enter the beneficiary, attorney, or "
        'accredited representative."',
    ),
    "R23": RuleDoc(
        "Information on filing one form per person and linking them; a warning when the same "
        "person appears twice in a family group.",
        'TIPS: "You must file a separate DHS Form 7001 for each family member ... send an '
        'email with all related CIS Ombudsman request numbers".',
    ),
    "R24": RuleDoc(
        "Reported on the draft the number does not belong to, naming the owner (the draft "
        "where it is the primary filing); the owner's draft stays clean. When the owner "
        "cannot be told, a warning on each.",
        'TIPS: "Please do not list your family member(s)\' receipt numbers on your form."',
    ),
    "R25": RuleDoc(
        "A warning: the office checks for duplicates.",
        "REF R25 (secondary: a 2024 Ombudsman infographic).",
    ),
    "R26": RuleDoc(
        "A parent may sign only for a child under 18; error otherwise.",
        'TIPS: "A parent can complete the form for any child under 18 years old."',
    ),
    "R27": RuleDoc(
        "Shown with R3: the statutory exceptions, which are examples ('such as').",
        'HTS: "(such as Form I-360 ... for Special Immigrant Juveniles; Form N-400 ...; and '
        'Form I-129 ... for L-1 petitions)".',
    ),
    "R28": RuleDoc(
        "The hearing date decides whether the office can help (error when missing, with the "
        "reason); a hearing beyond six months is a warning. The hearing notice is a "
        "reconstructed document category, so a warning.",
        'HTS: "Cases where someone is in removal proceedings before the immigration court '
        'with a hearing scheduled within six months".',
    ),
    "R29": RuleDoc(
        "A persistent reminder; a warning when a deadline is entered.",
        'HTS: "Filing a case assistance request with the CIS Ombudsman does not change your '
        'appeal and motion rights or extend any USCIS deadlines you may face."',
    ),
    "R30": RuleDoc(
        "Without a receipt notice, the delivery proof is the only evidence of the filing; error.",
        'TIPS: "Delivery confirmation with a copy of the submission to USCIS if you have not '
        'received a receipt notice".',
    ),
    "R31": RuleDoc(
        "The clock of a filing with no receipt notice: 30 business days from delivery to the "
        "lockbox, then the lockbox e-mail; warnings with the dates.",
        'HTS: "If more than 30 business days have passed since your package was delivered to '
        "a USCIS lockbox ... but you have not received a receipt notice, you may email the "
        'USCIS Lockbox".',
    ),
    "R32": RuleDoc(
        "Information only.",
        'HTS: "If you are a refugee applicant, email USCIS directly at '
        "refugeeaffairsinquiries@uscis.dhs.gov ... If you have a T visa, U visa, or ... VAWA "
        'case, please see our FAQ page".',
    ),
    "R33": RuleDoc("Information only.", "REF R33 (older dhs.gov page)."),
    "R34": RuleDoc(
        "No documents at all: error. No USCIS notice or response: warning, except when no "
        "filing has a receipt notice (none can exist).",
        'HTS: "Please remember to include supporting documentation with your case assistance '
        'request."; TIPS: "USCIS notices, such as rejection, denial ... notices".',
    ),
    "R35": RuleDoc(
        "A short explanation is a warning (the field check makes an empty one an error).",
        'TIPS: "Always provide a clear explanation of your difficulty resolving your case '
        'with USCIS in section 2".',
    ),
    "R36": RuleDoc(
        "Information only.",
        'HTS: "it can take two to three weeks to manually enter your information into our system."',
    ),
    "R37": RuleDoc(
        "Information only.",
        'HTS: "If you are outside the United States and unable to access our online case '
        'assistance portal, you can email the completed form to us."',
    ),
    "R38": RuleDoc(
        "Information only.",
        'TIPS: "If you have moved or plan on moving, you must update your address with USCIS."',
    ),
    "R39": RuleDoc(
        "Information only.",
        'HTS: "email us at cisombudsman@hq.dhs.gov if: Your case is resolved by USCIS ... '
        'Your address changes ... You have a new attorney".',
    ),
    "R40": RuleDoc(
        "A warning: the office may still accept the edition.",
        "REF R40 (OMB expiration date of the edition).",
    ),
    "R41": RuleDoc(
        "A warning: users often confuse the numbers.",
        "REF §4.2: warn if the A-Number equals the digits of a receipt or account number.",
    ),
    "R42": RuleDoc(
        "A receipt date before birth is impossible (error); a very old one is probably a typo "
        "(warning).",
        "REF R42 [reconstructed].",
    ),
    "R43": RuleDoc("Information only.", "REF R43 (the retired online form: no fee)."),
    "R44": RuleDoc(
        "A filing with a statutory or regulatory time is judged by that time, with its own "
        "date: within it, a warning (not delayed yet); past it, the request should say so "
        "(warning until the statutory reason is chosen, so the cover letter does not claim "
        "'outside published processing times').",
        'HTS: "unless there is a statutory or regulatory processing time requirement (such '
        'as Form I-360 ... Form N-400 ... and Form I-129 ... for L-1 petitions)".',
    ),
    "R45": RuleDoc(
        "Only the applicant or petitioner can give the Section 9 consent as 'self': another "
        "person's name is an error; a spelling variant a warning to acknowledge.",
        'HTS: "the benefit requestor (the individual who signed the submitted form to '
        'USCIS)"; TIPS: "Section 9 (Consent for Applicant/Petitioner)".',
    ),
    "R46": RuleDoc(
        "Information only: what the attorney must check about the edition's reconstructed "
        "layout and consent wording is said in the app and the validation notes, never on the "
        "pages filed with the CIS Ombudsman.",
        "REF §1 (provenance tags: reconstructed wording must be checked against the official "
        "form before relying on it).",
    ),
}

_EMITS = re.compile(r'"(error|warning|info)",\s*"(R\d+-[a-z0-9-]+)"')


def emitted(spec: RuleSpec) -> list[tuple[str, str]]:
    """(severity, code) pairs a rule can report, read from its code."""
    found = _EMITS.findall(inspect.getsource(spec.check))
    return list(dict.fromkeys((sev, code) for sev, code in found))


def rules_markdown() -> str:
    """``docs/rules.md``: every rule of the registry, in number order."""
    out = [
        "# The filing rules",
        "",
        "Generated from the rule registry (`ombuds_desktop/validation/rules.py` and",
        "`rule_docs.py`) by `ombuds-desktop rules --markdown > docs/rules.md`; a test",
        "checks that this file is current. Do not edit it by hand.",
        "",
        "Severity: **error** blocks the final packet (only where the CIS Ombudsman cannot",
        "accept the request as it stands); **warning** must be acknowledged before the",
        "final packet (`packet --acknowledge`, or a tick on Review); **info** only informs.",
        'HTS is the Ombudsman\'s page "How to Submit a Case Assistance Request", TIPS the',
        '"Tips for Submitting a Case Assistance Request", REF `dhs-7001.md`.',
        "",
    ]
    for spec in sorted(RULES, key=lambda s: int(s.id[1:])):
        doc = DOCS[spec.id]
        out += [f"## {spec.id}: {spec.title}", ""]
        out.append(f"- **Reads:** {', '.join(f'`{n}`' for n in spec.needs) or 'nothing'}")
        codes = emitted(spec)
        out.append(
            "- **Reports:** " + ("; ".join(f"{sev} `{code}`" for sev, code in codes) or "nothing")
        )
        out.append(f"- **Why:** {doc.why}")
        out.append(f"- **Rests on:** {doc.source}")
        out.append("")
    return "\n".join(out)
