"""Fixtures of the official-form tests: the edition, made-up official PDFs, a draft."""

from __future__ import annotations

import functools

import pytest

from ombuds_desktop.draft import Draft, loads
from ombuds_desktop.formdef import FormDefinition, load_edition
from ombuds_desktop.official.mapping import Mapping
from ombuds_desktop.official.propose import propose
from ombuds_desktop.official.reader import OfficialForm, read_official
from ombuds_desktop.samples import sample_text
from tests.official import forms


@functools.cache
def form_a() -> bytes:
    return forms.build(forms.edition_a())


@functools.cache
def form_b() -> bytes:
    return forms.build(forms.edition_b())


def confirmed_mapping(data: bytes, definition: FormDefinition) -> tuple[OfficialForm, Mapping]:
    """The official form read from ``data`` and its proposed mapping, confirmed by the user."""
    official = read_official(data)
    mapping = propose(official, definition)
    mapping.confirmed = True
    return official, mapping


@pytest.fixture
def mapped(definition: FormDefinition) -> tuple[OfficialForm, Mapping]:
    """Form A with its confirmed mapping."""
    return confirmed_mapping(form_a(), definition)


@pytest.fixture(scope="session")
def definition() -> FormDefinition:
    return load_edition()


@pytest.fixture
def draft() -> Draft:
    """A complete made-up draft (asylee client, attorney-prepared)."""
    return loads(sample_text("asylee-attorney"))
