"""The draft: plain data, its interchange JSON and the facts derived from it."""

from ombuds_desktop.draft.interchange import (
    FORMAT_VERSION,
    DraftFormatError,
    draft_from_dict,
    draft_to_dict,
    dumps,
    loads,
    read_draft_file,
    resolve_attachment_path,
)
from ombuds_desktop.draft.model import STATUSES, Attachment, Draft, Submission, new_id

__all__ = [
    "FORMAT_VERSION",
    "STATUSES",
    "Attachment",
    "Draft",
    "DraftFormatError",
    "Submission",
    "draft_from_dict",
    "draft_to_dict",
    "dumps",
    "loads",
    "new_id",
    "read_draft_file",
    "resolve_attachment_path",
]
