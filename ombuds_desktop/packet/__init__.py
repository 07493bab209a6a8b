"""The paper: Form 7001, the wet-ink signature page, the packet and its exports.

Nothing here imports Qt; long operations take ``progress(done, total, msg)``
and a :class:`CancelToken` so the GUI can run them on a worker thread.

Main entry points::

    build_packet(draft, base_dir, definition, options, progress=, cancel=) -> PacketResult
    check_evidence(draft, base_dir, definition, options) -> [PacketInputError]
    signature_page_pdf(draft, definition, options) -> bytes
    export_upload_folder(draft, out_dir, base_dir, definition, options, ...) -> UploadResult
    export_eml(draft, out_path, base_dir, definition, options, ...) -> [Path]
    export_mail(draft, out_path, base_dir, definition, options, ...) -> MailResult
    family_group_email(drafts, definition, options) -> EmailMessage
"""

from ombuds_desktop.packet.assemble import (
    ExhibitRange,
    PacketResult,
    PartRange,
    build_packet,
    check_evidence,
)
from ombuds_desktop.packet.errors import (
    EvidenceProblems,
    NotReadyError,
    PacketError,
    PacketInputError,
)
from ombuds_desktop.packet.options import MB, PARTS, Cancelled, CancelToken, PacketOptions

__all__ = [
    "MB",
    "PARTS",
    "CancelToken",
    "Cancelled",
    "EvidenceProblems",
    "ExhibitRange",
    "NotReadyError",
    "PacketError",
    "PacketInputError",
    "PacketOptions",
    "PacketResult",
    "PartRange",
    "build_packet",
    "check_evidence",
]
