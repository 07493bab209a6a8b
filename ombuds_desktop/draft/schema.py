"""JSON Schema (draft 2020-12) of the interchange format, generated from a form edition.

The schema describes shapes only (types, option ids, identifier patterns);
the filing rules live in validation.  It is strict about field ids, so an
editor using it catches typos, while the app itself still loads such a draft
and reports the unknown id without losing it.
"""

from __future__ import annotations

from typing import Any

from ombuds_desktop.draft.interchange import FORMAT_VERSION
from ombuds_desktop.draft.model import STATUSES, SUBMISSION_METHODS
from ombuds_desktop.formdef.model import ADDRESS_PARTS, PERSON_NAME_PARTS, FieldDef, FormDefinition

ISO_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
_STRING = {"type": "string"}


def _field_schema(f: FieldDef) -> dict[str, Any]:
    t = f.type
    base: dict[str, Any] = {"title": f.label}
    if f.help:
        base["description"] = f.help
    if t == "date":
        return base | ISO_DATE
    if t == "yes_no":
        return base | {"type": "boolean"}
    if t == "single_choice":
        return base | {"enum": [o.id for o in f.options]} if f.options else base | _STRING
    if t == "multiple_choice":
        return base | {
            "type": "array",
            "uniqueItems": True,
            "items": {"enum": [o.id for o in f.options]},
        }
    if t == "person_name":
        return base | {
            "type": "object",
            "additionalProperties": False,
            "properties": {p: {"type": ["string", "null"]} for p in PERSON_NAME_PARTS},
        }
    if t == "address":
        return base | {
            "type": "object",
            "additionalProperties": False,
            "properties": {p: {"type": ["string", "null"]} for p in ADDRESS_PARTS},
        }
    if t == "group":
        return base | {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {s.id: _field_schema(s) for s in f.fields},
            },
        }
    if t == "receipt_number":
        return base | {
            "type": "string",
            "description": "3 letters and 10 digits, e.g. EAC2190012345",
        }
    if t == "a_number":
        return base | {"type": "string", "description": "7 to 9 digits, stored as 9"}
    if t == "uscis_account":
        return base | {"type": "string", "description": "12 digits"}
    out = base | _STRING
    if f.max_length:
        out["maxLength"] = f.max_length
    return out


def draft_schema(definition: FormDefinition) -> dict[str, Any]:
    values = {
        f.id: _field_schema(f)
        for f in definition.all_fields()
        if f.type not in ("signature", "attachments") and not f.mirror
    }
    attachment = {
        "type": "object",
        "required": ["category", "description", "path"],
        "properties": {
            "id": _STRING,
            "category": {"enum": list(definition.category_ids())},
            "description": _STRING,
            "path": {
                "type": "string",
                "description": "file path, relative to the draft file when not absolute",
            },
            "date": {"anyOf": [ISO_DATE, {"type": "null"}]},
            "foreign_language": {"type": "boolean"},
            "translation_of": {"type": ["string", "null"]},
            "sha256": {"type": ["string", "null"]},
            "original_name": {"type": ["string", "null"]},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:ombuds-desktop:draft:{definition.id}:{definition.edition}:v{FORMAT_VERSION}",
        "title": f"Ombuds Desktop draft of {definition.number} ({definition.edition})",
        "type": "object",
        "required": ["format_version", "form", "values"],
        "properties": {
            "format_version": {"const": FORMAT_VERSION},
            "form": {"const": definition.key},
            "id": _STRING,
            "status": {"enum": list(STATUSES)},
            "family_group": {"type": ["string", "null"]},
            "representative_profile": {"type": ["string", "null"]},
            "values": {"type": "object", "additionalProperties": False, "properties": values},
            "attachments": {"type": "array", "items": attachment},
            "submission": {
                "anyOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "required": ["method", "date"],
                        "properties": {
                            "method": {"enum": list(SUBMISSION_METHODS)},
                            "date": ISO_DATE,
                            "request_number": {"type": ["string", "null"]},
                        },
                    },
                ]
            },
            "acknowledged": {"type": "array", "items": _STRING},
            "last_section": {"type": ["string", "null"]},
            "options": {"type": "object"},
        },
    }
