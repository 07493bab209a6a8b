"""USCIS identifiers: normalise what people type, and say exactly what is wrong.

Formats follow ``dhs-7001.md`` §4: a receipt number is 3 letters + 10 digits
(an unknown prefix only warrants a warning); an A-Number is 7 to 9 digits,
stored zero-padded to 9 and printed A123-456-789; a USCIS online account
number is 12 digits; an SRMT number has no published format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Receipt-number prefixes with the office they stand for ([secondary] sources).
KNOWN_RECEIPT_PREFIXES = {
    "EAC": "Vermont Service Center",
    "VSC": "Vermont Service Center",
    "WAC": "California Service Center",
    "CSC": "California Service Center",
    "LIN": "Nebraska Service Center",
    "NSC": "Nebraska Service Center",
    "SRC": "Texas Service Center",
    "TSC": "Texas Service Center",
    "MSC": "National Benefits Center",
    "NBC": "National Benefits Center",
    "IOE": "USCIS electronic processing",
    "YSC": "Potomac Service Center",
    "PSC": "Potomac Service Center",
}

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015./]+")
_RECEIPT = re.compile(r"^[A-Z]{3}[0-9]{10}$")


@dataclass(frozen=True, slots=True)
class Checked:
    """The normalised value, plus an error and/or a warning in plain words."""

    value: str
    error: str | None = None
    warning: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _strip(raw: str) -> str:
    return _SEPARATORS.sub("", raw.strip())


def normalize_receipt_number(raw: str) -> str:
    return _strip(raw).upper()


def check_receipt_number(raw: str) -> Checked:
    value = normalize_receipt_number(raw)
    example = "like EAC2190012345"
    if _RECEIPT.match(value):
        prefix = value[:3]
        if prefix not in KNOWN_RECEIPT_PREFIXES:
            return Checked(
                value,
                warning=f"The receipt number {value} starts with {prefix}, "
                "which is not a USCIS office prefix Ombuds Desktop knows (EAC, WAC, "
                "LIN, SRC, MSC, IOE, …). Check it against the receipt notice.",
            )
        return Checked(value)
    if len(value) != 13:
        return Checked(
            value,
            error=f"A receipt number is 3 letters and 10 digits, {example}; "
            f'"{raw.strip()}" has {len(value)} characters without spaces and dashes.',
        )
    if not value[:3].isalpha() or not value[:3].isascii():
        return Checked(
            value,
            error=f"A receipt number starts with 3 letters, {example}; "
            f'"{raw.strip()}" starts with "{value[:3]}".',
        )
    return Checked(
        value,
        error=f"A receipt number ends with 10 digits, {example}; "
        f'"{raw.strip()}" has "{value[3:]}" after the letters.',
    )


def normalize_a_number(raw: str) -> str:
    value = _strip(raw).upper()
    if value.startswith("A"):
        value = value[1:]
    return value.zfill(9) if value.isdigit() and 7 <= len(value) <= 9 else value


def check_a_number(raw: str) -> Checked:
    value = normalize_a_number(raw)
    if value.isascii() and value.isdigit() and len(value) == 9:
        return Checked(value)
    digits = sum(c.isdigit() for c in value)
    if not value.isdigit() or not value.isascii():
        return Checked(
            value,
            error=f"An A-Number is the letter A and 7 to 9 digits, like "
            f'A123-456-789; "{raw.strip()}" contains other characters. '
            "Leave it blank if the person has no A-Number.",
        )
    return Checked(
        value,
        error=f'An A-Number has 7 to 9 digits, like A123-456-789; "{raw.strip()}" has {digits}.',
    )


def format_a_number(stored: str) -> str:
    """Print form: ``A123-456-789``."""
    if len(stored) == 9 and stored.isdigit():
        return f"A{stored[:3]}-{stored[3:6]}-{stored[6:]}"
    return stored


def normalize_account_number(raw: str) -> str:
    return _strip(raw)


def check_account_number(raw: str) -> Checked:
    value = normalize_account_number(raw)
    if value.isdigit() and value.isascii() and len(value) == 12:
        return Checked(value)
    if value.upper().startswith("A") or (value.isdigit() and len(value) in (7, 8, 9)):
        hint = " It looks like an A-Number, which goes in the A-Number field."
    else:
        hint = ""
    return Checked(
        value,
        error=f"A USCIS online account number is 12 digits, found at the top "
        f'of the USCIS Online Account Access Notice; "{raw.strip()}" has '
        f"{sum(c.isdigit() for c in value)} digits"
        f"{' and other characters' if not value.isdigit() else ''}.{hint}",
    )


def normalize_srmt(raw: str) -> str:
    return " ".join(raw.split()).upper()


def check_srmt(raw: str) -> Checked:
    value = normalize_srmt(raw)
    if len(value) > 40:
        return Checked(
            value,
            error=f"A service request number is at most 40 characters; this one has {len(value)}.",
        )
    return Checked(value)


def normalize_form_number(raw: str) -> str:
    """ "i 130" and "I130" become "I-130", so G-28 and Section 3 forms compare equal."""
    value = _strip(raw).upper()
    m = re.match(r"^([A-Z]{1,2})(\d+[A-Z]?)$", value)
    return f"{m.group(1)}-{m.group(2)}" if m else value


CHECKERS = {
    "receipt_number": check_receipt_number,
    "a_number": check_a_number,
    "uscis_account": check_account_number,
    "srmt_number": check_srmt,
}

NORMALIZERS = {
    "receipt_number": normalize_receipt_number,
    "a_number": normalize_a_number,
    "uscis_account": normalize_account_number,
    "srmt_number": normalize_srmt,
}
