"""Packet and export options, plus the progress/cancel plumbing of long builds.

Options are plain data so the GUI can keep them per draft (``draft.options
["packet"]``) and the CLI can build them from flags.  Builds run off the UI
thread: they report through a ``progress(done, total, message)`` callback and
stop at the next checkpoint once a :class:`CancelToken` is cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from ombuds_desktop.tasks import Cancelled, CancelToken, ProgressFn

#: Budgets and limits are in decimal megabytes (1 MB = 1,000,000 bytes), the unit mail
#: gateways and upload forms state; a "10 MB" limit is never exceeded by reading it as MiB.
MB = 1_000_000


def megabytes(n: int | float) -> str:
    """A byte count as the user reads it: "9.6 MB" (decimal units, as in the budgets)."""
    if n >= 1000 * MB:
        return f"{n / (1000 * MB):.1f} GB"
    if n >= 100_000:
        return f"{n / MB:.1f} MB"
    return f"{max(1, round(n / 1000))} KB"


#: The parts of a packet, in the default order of ``field-conventions.md`` §1.1.
PARTS = ("cover_letter", "form", "signature", "g28", "consents", "index", "exhibits")

#: Shared with the vault and the GUI: see :mod:`ombuds_desktop.tasks`.
__all__ = [
    "MB",
    "PARTS",
    "megabytes",
    "Cancelled",
    "CancelToken",
    "PacketOptions",
    "ProgressFn",
    "Steps",
]


class Steps:
    """Counts progress steps and checks for cancellation at each one."""

    def __init__(self, total: int, progress: ProgressFn | None, cancel: CancelToken | None) -> None:
        self.total, self.done = max(total, 1), 0
        self._progress, self._cancel = progress, cancel

    def step(self, message: str, n: int = 1) -> None:
        if self._cancel is not None:
            self._cancel.check()
        self.done = min(self.done + n, self.total)
        if self._progress is not None:
            self._progress(self.done, self.total, message)

    def check(self) -> None:
        if self._cancel is not None:
            self._cancel.check()


@dataclass(frozen=True, slots=True)
class PacketOptions:
    """How a packet and its exports are built.  Defaults follow the field conventions."""

    label_style: str = "letters"  # "letters" (A, B, …) or "numbers" (1, 2, …)
    tab_pages: bool = True  # a tab page before each exhibit
    bates_prefix: str | None = None  # e.g. "NGUYEN-" stamps NGUYEN-000001 instead of "Page n of N"
    bates_digits: int = 6
    bates_start: int = 1
    color_dpi: int = 200  # maximum resolution of colour and greyscale images
    bw_dpi: int = 300  # maximum resolution of black-and-white images
    jpeg_quality: int = 80
    email_budget: int = 10 * MB  # per e-mail message, headers and encoding included
    upload_budget: int = 10 * MB  # per file in the online-upload folder
    build_date: date | None = None  # fixed date for reproducible builds; None = today
    allow_draft: bool = False  # build even when validation errors remain (watermarked)
    part_order: tuple[str, ...] = PARTS
    exhibit_order: tuple[str, ...] = ()  # attachment ids in the user's order; () = by category
    show_sha256: bool = True  # short SHA-256 of each exhibit file on the index
    passwords: Mapping[str, str] = field(default_factory=dict)  # attachment id -> PDF password
    skip: frozenset[str] = frozenset()  # attachment ids the user chose to leave out
    #: Folders outside a draft file's own folder whose files the user trusts (never from a draft).
    allow_files_from: tuple[str, ...] = ()
    #: The data folder whose imported official forms the packet may fill (None: the
    #: default, ``OMBUDS_DATA_DIR``); the window passes its vault's folder.  Never from a draft.
    official_dir: str | None = None
    #: Mail: the ORIGINAL wet-ink Section 9 page goes in the envelope, not its scan
    #: (``dhs-7001.md`` R20); the packet's words say so.  Set by the mail export.
    signature_original: bool = False

    def __post_init__(self) -> None:
        if self.label_style not in ("letters", "numbers"):
            raise ValueError("label_style must be 'letters' or 'numbers'")
        if sorted(self.part_order) != sorted(PARTS):
            raise ValueError("part_order must list each of " + ", ".join(PARTS) + " once")
        for name in ("color_dpi", "bw_dpi"):
            if not 72 <= getattr(self, name) <= 600:
                raise ValueError(f"{name} must be between 72 and 600")
        for name in ("email_budget", "upload_budget"):
            if getattr(self, name) < 256_000:
                raise ValueError(f"{name} must be at least 256 KB")
        if self.bates_prefix is not None and not 3 <= self.bates_digits <= 9:
            raise ValueError("bates_digits must be between 3 and 9")

    def check_attachment_ids(self, known: Iterable[str]) -> None:
        """Refuse ``skip`` and ``passwords`` entries that name no document of the draft.

        Called by every build and export, so the CLI and the GUI refuse the same typos.
        """
        from ombuds_desktop.packet.errors import UnknownAttachmentIds

        ids = list(known)
        skip = sorted(set(self.skip) - set(ids))
        passwords = sorted(set(self.passwords) - set(ids))
        if skip or passwords:
            raise UnknownAttachmentIds(skip, passwords, ids)

    def today(self) -> date:
        return self.build_date or date.today()

    def with_(self, **changes: Any) -> PacketOptions:
        return replace(self, **changes)

    @classmethod
    def from_draft(cls, draft_options: Mapping[str, Any] | None, **overrides: Any) -> PacketOptions:
        """Options saved with a draft (``draft.options["packet"]``), then ``overrides``.

        Unknown or mistyped keys are ignored: options are a convenience, and a
        stale key must never stop a packet from building.
        """
        raw = dict((draft_options or {}).get("packet") or {})
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in known or key in (
                "passwords",
                "skip",
                "allow_draft",
                "allow_files_from",
                "official_dir",
                "signature_original",
            ):
                continue
            if key in ("part_order", "exhibit_order") and isinstance(value, list):
                value = tuple(str(v) for v in value)
            elif key == "build_date" and isinstance(value, str):
                try:
                    value = date.fromisoformat(value)
                except ValueError:
                    continue
            kwargs[key] = value
        kwargs.update(overrides)
        try:
            return cls(**kwargs)
        except (TypeError, ValueError):
            return cls(**overrides)
