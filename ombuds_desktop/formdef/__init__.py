"""The form as data: typed edition objects and their loader."""

from ombuds_desktop.formdef.loader import (
    FormDefinitionError,
    available_editions,
    load_definition_file,
    load_edition,
    load_form_key,
    parse_definition,
)
from ombuds_desktop.formdef.model import (
    AttachmentCategory,
    Condition,
    FieldDef,
    FormDefinition,
    Option,
    Section,
)

__all__ = [
    "AttachmentCategory",
    "Condition",
    "FieldDef",
    "FormDefinition",
    "FormDefinitionError",
    "Option",
    "Section",
    "available_editions",
    "load_definition_file",
    "load_edition",
    "load_form_key",
    "parse_definition",
]
