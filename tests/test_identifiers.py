"""Identifier normalisation and checks, by example and by property."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from ombuds_desktop import identifiers as ids

letters = st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=3)
digits = lambda n: st.text(alphabet=string.digits, min_size=n, max_size=n)  # noqa: E731
separators = st.sampled_from(["", " ", "-", " - ", "  "])


def test_receipt_examples():
    assert ids.check_receipt_number("eac-22-123-45678").value == "EAC2212345678"
    assert ids.check_receipt_number("EAC 2212345678").ok
    short = ids.check_receipt_number("EAC221234567")
    assert not short.ok and "12 characters" in short.error and "EAC2190012345" in short.error
    assert "starts with 3 letters" in ids.check_receipt_number("E1C2212345678").error
    assert "10 digits" in ids.check_receipt_number("EACX212345678").error
    unknown = ids.check_receipt_number("XYZ2212345678")
    assert unknown.ok and "XYZ" in unknown.warning


@given(letters, digits(10), separators)
def test_any_receipt_shape_normalises_and_passes(prefix, number, sep):
    typed = f"{prefix.lower()}{sep}{number[:2]}{sep}{number[2:5]}{sep}{number[5:]}"
    checked = ids.check_receipt_number(typed)
    assert checked.ok
    assert checked.value == prefix + number
    assert (checked.warning is None) == (prefix in ids.KNOWN_RECEIPT_PREFIXES)


@given(st.text(max_size=30))
def test_receipt_check_never_crashes_and_errors_are_sentences(text):
    checked = ids.check_receipt_number(text)
    if not checked.ok:
        assert checked.error.endswith(".") and "receipt number" in checked.error


@given(st.integers(min_value=7, max_value=9).flatmap(digits), st.booleans(), separators)
def test_a_number_stored_as_nine_digits(number, with_a, sep):
    typed = ("A" if with_a else "") + sep + number
    checked = ids.check_a_number(typed)
    assert checked.ok and checked.value == number.zfill(9) and len(checked.value) == 9


@given(st.integers(min_value=0, max_value=30).filter(lambda n: not 7 <= n <= 9).flatmap(digits))
def test_a_number_wrong_length_refused(number):
    checked = ids.check_a_number(number)
    assert not checked.ok
    assert "A-Number" in checked.error


def test_a_number_format_and_print():
    assert ids.format_a_number(ids.normalize_a_number("A12-345-678")) == "A012-345-678"
    assert "other characters" in ids.check_a_number("A12-34X-678").error


@given(digits(12), separators)
def test_account_number_twelve_digits(number, sep):
    typed = number[:4] + sep + number[4:8] + sep + number[8:]
    assert ids.check_account_number(typed).value == number


def test_account_number_refusals():
    assert "looks like an A-Number" in ids.check_account_number("A123456789").error
    assert not ids.check_account_number("12345678901").ok
    assert not ids.check_account_number("1234567890123").ok


def test_srmt_and_form_number():
    assert ids.check_srmt("  srmt 2026  0804 ").value == "SRMT 2026 0804"
    assert not ids.check_srmt("x" * 41).ok
    assert ids.normalize_form_number("i130") == "I-130"
    assert ids.normalize_form_number("I-130") == ids.normalize_form_number("i 130")
    assert ids.normalize_form_number("N-400") == "N-400"


def test_non_ascii_digits_are_not_receipt_or_a_numbers():
    assert not ids.check_receipt_number("EAC٢٤٩٠٠١٢٣٤٥").ok
    assert not ids.check_a_number("A٢٠١٥٥٥٠١٤").ok
