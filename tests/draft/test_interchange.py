"""The interchange JSON: round trip, stable keys, clear refusals, migrations."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from ombuds_desktop.draft import (
    FORMAT_VERSION,
    DraftFormatError,
    dumps,
    interchange,
    loads,
    read_draft_file,
)
from ombuds_desktop.draft.schema import draft_schema
from ombuds_desktop.formdef import load_edition
from ombuds_desktop.samples import load_sample, sample_names

STABLE_KEYS = {"format_version", "form", "values", "attachments", "family_group", "status"}


@pytest.mark.parametrize("name", sample_names())
def test_samples_round_trip_and_keep_stable_keys(name):
    draft = load_sample(name)
    text = dumps(draft)
    doc = json.loads(text)
    assert set(doc) >= STABLE_KEYS
    assert doc["format_version"] == FORMAT_VERSION
    for att in doc["attachments"]:
        assert {"category", "description", "path", "date"} <= set(att)
    again = loads(text)
    assert dumps(again) == text


@pytest.mark.parametrize("name", [n for n in sample_names() if n != "mistakes"])
def test_samples_match_generated_schema(name):
    schema = draft_schema(load_edition())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(dumps(load_sample(name))), schema)


def test_schema_catches_unknown_field_and_bad_option():
    schema = draft_schema(load_edition())
    doc = json.loads(dumps(load_sample("vawa-self")))
    doc["values"]["s5.nmae"] = "typo"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)
    doc = json.loads(dumps(load_sample("vawa-self")))
    doc["values"]["app.channel"] = "fax"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not text"),
        (b"\xff\xfe\x00binary", "not text"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"form": "dhs-7001/2022-11"}', "no 'format_version'"),
        (b'{"format_version": "1", "form": "dhs-7001/2022-11"}', "whole number"),
        (b'{"format_version": 99, "form": "dhs-7001/2022-11"}', "newer Ombuds Desktop"),
        (b'{"format_version": 1, "form": "dhs-7001"}', "form and edition"),
        (b'{"format_version": 1, "form": "dhs-7001/2022-11", "values": []}', "'values' must be"),
        (b'{"format_version": 1, "form": "dhs-7001/2022-11", "status": "filed"}', "'status'"),
        (
            b'{"format_version": 1, "form": "dhs-7001/2022-11", "attachments": [{"category": 1}]}',
            "attachments[0].category",
        ),
        (b"[" * 100000, "nested too deeply"),
    ],
)
def test_bad_input_is_refused_with_a_plain_message(data, message):
    with pytest.raises(DraftFormatError) as info:
        loads(data)
    assert message in str(info.value)
    assert "Traceback" not in str(info.value)


def test_oversize_input_is_refused_before_parsing(tmp_path: Path):
    big = tmp_path / "huge.json"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(DraftFormatError, match=r"50\.0 MB"):
        read_draft_file(big)


def test_missing_and_folder_paths(tmp_path: Path):
    with pytest.raises(DraftFormatError, match="no such file"):
        read_draft_file(tmp_path / "absent.json")
    with pytest.raises(DraftFormatError, match="is a folder"):
        read_draft_file(tmp_path)


def test_unknown_values_are_kept_not_dropped():
    doc = json.loads(dumps(load_sample("vawa-self")))
    doc["values"]["s5.favourite_colour"] = "teal"
    draft = loads(json.dumps(doc))
    assert json.loads(dumps(draft))["values"]["s5.favourite_colour"] == "teal"


def test_older_format_is_migrated_not_rejected(monkeypatch):
    """A registered migration runs on load and the result is current."""

    def v1_to_v2(doc):
        doc["values"] = {k.replace("old.", "s5."): v for k, v in doc["values"].items()}
        return doc

    monkeypatch.setattr(interchange, "FORMAT_VERSION", 2)
    monkeypatch.setitem(interchange.MIGRATIONS, 1, v1_to_v2)
    draft = loads(
        b'{"format_version": 1, "form": "dhs-7001/2022-11", '
        b'"values": {"old.phone": "(217) 555-0142"}}'
    )
    assert draft.values == {"s5.phone": "(217) 555-0142"}
    assert interchange.draft_to_dict(draft)["format_version"] == 2


def test_missing_migration_step_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(interchange, "FORMAT_VERSION", 3)
    with pytest.raises(DraftFormatError, match="no migration from format version 1"):
        loads(b'{"format_version": 1, "form": "dhs-7001/2022-11"}')
