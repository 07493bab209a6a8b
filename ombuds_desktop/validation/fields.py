"""Field-level checks driven by the form definition: presence, type, format, length.

Everything here follows from the edition file (types, ``required``,
``required_if``, ``max_length``, options, rows); nothing names a field of
the form.  Filing rules that need to know what a field *means* are in
:mod:`ombuds_desktop.validation.rules`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from ombuds_desktop import identifiers
from ombuds_desktop.dates import DateFormatError, format_us, parse_iso, parse_us
from ombuds_desktop.formdef.conditions import field_required, field_shown, is_filled
from ombuds_desktop.formdef.model import (
    ADDRESS_PARTS,
    PERSON_NAME_PARTS,
    TEXT_TYPES,
    VALUELESS_TYPES,
    FieldDef,
)
from ombuds_desktop.geo import country_name, us_state_name
from ombuds_desktop.validation.findings import Finding

_STRING_TYPES = TEXT_TYPES | {
    "phone",
    "email",
    "country",
    "us_state",
    "receipt_number",
    "a_number",
    "uscis_account",
}


def _date_problem(value: Any, iso_error: DateFormatError) -> str:
    """Explain a bad date in the terms the user typed it in (mm/dd/yyyy)."""
    if not isinstance(value, str) or "/" not in value:
        return str(iso_error)
    try:
        typed = parse_us(value)
    except DateFormatError as exc:
        return str(exc)
    return f"{value} must be stored as {typed.isoformat()} in a draft file (YYYY-MM-DD)."


def check_phone(raw: str, country: str = "US") -> tuple[str | None, str | None]:
    """(error, warning) for a phone number; national numbers are read as U.S. numbers."""
    try:
        number = phonenumbers.parse(raw, country or "US")
    except phonenumbers.NumberParseException:
        return (
            f'"{raw}" is not a phone number; type it like (202) 555-0143, or '
            "+ and the country code for a number outside the U.S."
        ), None
    # A 7-digit local number (no area code) is "possible" only locally: the CIS
    # Ombudsman cannot call it, so it is the same error as any other wrong length.
    if phonenumbers.is_possible_number_with_reason(number) != (
        phonenumbers.ValidationResult.IS_POSSIBLE
    ):
        return (
            f'"{raw}" has the wrong number of digits for a phone number; a U.S. number '
            "has 10 digits, like (202) 555-0143."
        ), None
    if not phonenumbers.is_valid_number(number):
        return None, f'"{raw}" does not look like a phone number in use; check it.'
    return None, None


def check_email(raw: str) -> str | None:
    try:
        validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        return f'"{raw}" is not a usable e-mail address: {exc}'
    return None


#: USPS codes for military mail (APO/FPO/DPO): Armed Forces Americas, Europe, Pacific.
#: Valid in a mailing address; not ISO 3166-2 subdivisions, so pycountry lacks them.
MILITARY_STATES = {
    "AA": "Armed Forces Americas",
    "AE": "Armed Forces Europe",
    "AP": "Armed Forces Pacific",
}


_ZIP = re.compile(r"[0-9]{5}(-[0-9]{4})?")  # ASCII digits only: "６２７０１" is no ZIP code


def check_zip(raw: str) -> str | None:
    if _ZIP.fullmatch(raw.strip()):
        return None
    return f'A U.S. ZIP code is 5 digits (or ZIP+4, like 20528-0180); "{raw}" is not.'


class FieldChecker:
    """Walks one section's fields and yields findings about their values."""

    def __init__(self, section_id: str, values: Mapping[str, Any], today: date) -> None:
        self.section_id = section_id
        self.values = values
        self.today = today

    def finding(self, path: str, severity: str, code: str, message: str) -> Finding:
        return Finding(self.section_id, path, severity, code, message)

    def check_field(
        self, f: FieldDef, value: Any, path: str, row: Mapping[str, Any] | None = None
    ) -> Iterator[Finding]:
        if f.type in VALUELESS_TYPES or f.mirror or f.type == "attachments":
            return
        if not field_shown(f, self.values, row):
            return
        label = f.label
        if not is_filled(value):
            if field_required(f, self.values, row):
                what = "at least one row" if f.type == "group" else "an answer"
                yield self.finding(path, "error", "required", f"{label}: this needs {what}.")
            return
        yield from self._check_value(f, value, path, row)

    def _wrong_type(self, f: FieldDef, path: str, expected: str, value: Any) -> Finding:
        return self.finding(
            path,
            "error",
            "wrong-type",
            f"{f.label}: expected {expected}, but the draft holds "
            f"{type(value).__name__} {str(value)[:40]!r}.",
        )

    def _check_value(
        self, f: FieldDef, value: Any, path: str, row: Mapping[str, Any] | None
    ) -> Iterator[Finding]:
        t = f.type
        if t in _STRING_TYPES and not isinstance(value, str):
            yield self._wrong_type(f, path, "text", value)
            return
        if t in TEXT_TYPES:
            if f.max_length is not None and len(value) > f.max_length:
                yield self.finding(
                    path,
                    "error",
                    "too-long",
                    f"{f.label}: at most {f.max_length} characters; this has "
                    f"{len(value)}. Shorten it or move detail to the "
                    "explanation in Section 2.",
                )
            if t == "srmt_number":
                checked = identifiers.check_srmt(value)
                if checked.error:
                    yield self.finding(path, "error", "R41-srmt-format", checked.error)
            return
        if t in identifiers.CHECKERS:
            checked = identifiers.CHECKERS[t](value)
            code = {
                "receipt_number": "R41-receipt-format",
                "a_number": "R41-a-number-format",
                "uscis_account": "R41-account-format",
            }[t]
            if checked.error:
                yield self.finding(path, "error", code, f"{f.label}: {checked.error}")
            elif checked.warning:
                yield self.finding(
                    path, "warning", "R41-receipt-prefix", f"{f.label}: {checked.warning}"
                )
            elif checked.value != value:
                yield self.finding(
                    path, "info", "normalized", f"{f.label}: will be stored as {checked.value}."
                )
            return
        if t == "date":
            yield from self._check_date(f, value, path)
        elif t == "yes_no":
            if not isinstance(value, bool):
                yield self._wrong_type(f, path, "yes or no (true/false)", value)
        elif t == "single_choice":
            if not isinstance(value, str):
                yield self._wrong_type(f, path, "one option id", value)
            elif f.option(value) is None:
                yield self.finding(
                    path,
                    "error",
                    "unknown-option",
                    f'{f.label}: "{value}" is not one of the choices ('
                    + ", ".join(o.id for o in f.options)
                    + ").",
                )
        elif t == "multiple_choice":
            yield from self._check_multi(f, value, path)
        elif t == "phone":
            error, warning = check_phone(value)
            if error:
                yield self.finding(path, "error", "phone-format", f"{f.label}: {error}")
            elif warning:
                yield self.finding(path, "warning", "phone-unusual", f"{f.label}: {warning}")
        elif t == "email":
            error = check_email(value)
            if error:
                yield self.finding(path, "error", "email-format", f"{f.label}: {error}")
        elif t == "country":
            if country_name(value) is None:
                yield self.finding(
                    path,
                    "error",
                    "country-unknown",
                    f'{f.label}: "{value}" is not a country code Ombuds '
                    "Desktop knows (use the two-letter ISO code, like MX).",
                )
        elif t == "us_state":
            if us_state_name(value) is None:
                yield self.finding(
                    path,
                    "error",
                    "state-unknown",
                    f'{f.label}: "{value}" is not a U.S. state or territory '
                    "(use the two-letter code, like NY).",
                )
        elif t == "person_name":
            yield from self._check_person_name(f, value, path, row)
        elif t == "address":
            yield from self._check_address(f, value, path)
        elif t == "group":
            yield from self._check_group(f, value, path)

    def _check_date(self, f: FieldDef, value: Any, path: str) -> Iterator[Finding]:
        try:
            d = parse_iso(value)
        except DateFormatError as exc:
            yield self.finding(
                path, "error", "date-format", f"{f.label}: {_date_problem(value, exc)}"
            )
            return
        if f.not_future and d > self.today:
            yield self.finding(
                path,
                "error",
                "R42-future-date",
                f"{f.label}: {format_us(d)} is in the future; this date cannot "
                f"be later than today ({format_us(self.today)}).",
            )
        elif d.year < 1900:
            yield self.finding(
                path,
                "error",
                "date-implausible",
                f"{f.label}: {format_us(d)} is before 1900; check the year.",
            )

    def _check_multi(self, f: FieldDef, value: Any, path: str) -> Iterator[Finding]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            yield self._wrong_type(f, path, "a list of option ids", value)
            return
        for v in value:
            if f.option(v) is None:
                yield self.finding(
                    path, "error", "unknown-option", f'{f.label}: "{v}" is not one of the choices.'
                )
        if f.exclusive_option and f.exclusive_option in value and len(value) > 1:
            yield self.finding(
                path,
                "error",
                "exclusive-option",
                f'{f.label}: "{f.option_label(f.exclusive_option)}" cannot be '
                "chosen together with other choices.",
            )

    def _check_person_name(
        self, f: FieldDef, value: Any, path: str, row: Mapping[str, Any] | None
    ) -> Iterator[Finding]:
        if not isinstance(value, dict) or not all(
            isinstance(v, str | None) for v in value.values()
        ):
            yield self._wrong_type(f, path, "a name {family, given, middle}", value)
            return
        unknown = set(value) - set(PERSON_NAME_PARTS)
        if unknown:
            yield self.finding(
                path,
                "error",
                "wrong-type",
                f"{f.label}: unknown name part {sorted(unknown)[0]!r} (use family, given, middle).",
            )
        for part in ("family", "given"):
            if not is_filled(value.get(part)):
                yield self.finding(
                    f"{path}.{part}",
                    "error",
                    "required",
                    f"{f.label}: the {part} name is missing. If the person has "
                    "only one name, enter it as the family name and the given "
                    "name.",
                )

    def _check_address(self, f: FieldDef, value: Any, path: str) -> Iterator[Finding]:
        if not isinstance(value, dict) or not all(
            isinstance(v, str | None) for v in value.values()
        ):
            yield self._wrong_type(
                f, path, "an address {street, city, state, postal_code, country}", value
            )
            return
        unknown = set(value) - set(ADDRESS_PARTS)
        if unknown:
            yield self.finding(
                path,
                "error",
                "wrong-type",
                f"{f.label}: unknown address part {sorted(unknown)[0]!r}.",
            )
        country = (value.get("country") or "US").upper()
        for part, words in (("street", "street address"), ("city", "city")):
            if not is_filled(value.get(part)):
                yield self.finding(
                    f"{path}.{part}", "error", "required", f"{f.label}: the {words} is missing."
                )
        if country_name(country) is None:
            yield self.finding(
                f"{path}.country",
                "error",
                "country-unknown",
                f'{f.label}: "{country}" is not a country code (use the '
                "two-letter ISO code, like US or MX).",
            )
            return
        if country == "US":
            state = value.get("state") or ""
            if not state.strip():
                yield self.finding(
                    f"{path}.state", "error", "required", f"{f.label}: the state is missing."
                )
            elif us_state_name(state) is None and state.strip().upper() not in MILITARY_STATES:
                yield self.finding(
                    f"{path}.state",
                    "error",
                    "state-unknown",
                    f'{f.label}: "{state}" is not a U.S. state or territory code (like NY or PR).',
                )
            zip_code = value.get("postal_code") or ""
            if not zip_code.strip():
                yield self.finding(
                    f"{path}.postal_code",
                    "error",
                    "required",
                    f"{f.label}: the ZIP code is missing.",
                )
            else:
                error = check_zip(zip_code)
                if error:
                    yield self.finding(
                        f"{path}.postal_code", "error", "zip-format", f"{f.label}: {error}"
                    )

    def _check_group(self, f: FieldDef, value: Any, path: str) -> Iterator[Finding]:
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            yield self._wrong_type(f, path, "a list of rows", value)
            return
        if f.min_rows and len(value) < f.min_rows:
            yield self.finding(
                path,
                "error",
                "rows-min",
                f"{f.label}: at least {f.min_rows} row(s) needed; there are {len(value)}.",
            )
        if f.max_rows is not None and len(value) > f.max_rows:
            yield self.finding(
                path,
                "error",
                "rows-max",
                f"{f.label}: at most {f.max_rows} rows; there are {len(value)}.",
            )
        known = {s.id for s in f.fields}
        for i, row in enumerate(value):
            row_path = f"{path}[{i}]"
            for key in sorted(set(row) - known):
                yield self.finding(
                    f"{row_path}.{key}",
                    "error",
                    "unknown-field",
                    f'{f.label}, row {i + 1}: "{key}" is not a field of this '
                    "table; it will be kept but not used.",
                )
            for sub in f.fields:
                for finding in self.check_field(sub, row.get(sub.id), f"{row_path}.{sub.id}", row):
                    yield Finding(
                        finding.section,
                        finding.field,
                        finding.severity,
                        finding.code,
                        finding.message.replace(
                            f"{sub.label}:", f"{f.label}, row {i + 1}, {sub.label}:", 1
                        ),
                    )
