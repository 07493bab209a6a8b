"""Fixtures of the official-form tests: the edition, made-up official PDFs, a draft."""

from __future__ import annotations

import functools

import pytest

from ombuds_desktop.draft import Draft, loads
from ombuds_desktop.formdef import FormDefinition, load_edition
from ombuds_desktop.samples import sample_text
from tests.official import forms


@functools.cache
def form_a() -> bytes:
    return forms.build(forms.edition_a())


@functools.cache
def form_b() -> bytes:
    return forms.build(forms.edition_b())


@pytest.fixture(scope="session")
def definition() -> FormDefinition:
    return load_edition()


@pytest.fixture
def draft() -> Draft:
    """A complete made-up draft (asylee client, attorney-prepared)."""
    return loads(sample_text("asylee-attorney"))
