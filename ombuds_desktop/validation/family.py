"""A draft's family group, wherever the drafts live (vault, files, window).

The family rules (R23 one form per person, R24 no family member's receipt
numbers, R25 duplicates) can only be applied with the other drafts of the
group at hand.  Every entry point gets them through these functions, so the
CLI, the packet and the window judge a family the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from ombuds_desktop import identifiers
from ombuds_desktop.draft import facts
from ombuds_desktop.draft.model import Draft


class _FamilyStore(Protocol):  # the vault, without importing it
    def family(self, group_id: str) -> Sequence[Any]: ...
    def load_draft(self, draft_id: str) -> Draft: ...


def family_of(draft: Draft, candidates: Iterable[Draft]) -> list[Draft]:
    """The other drafts among ``candidates`` that share ``draft``'s family group."""
    if not draft.family_group:
        return []
    return [d for d in candidates if d.family_group == draft.family_group and d.id != draft.id]


def vault_family(vault: _FamilyStore, draft: Draft) -> list[Draft]:
    """The other live drafts of ``draft``'s family group, decrypted from the vault."""
    if not draft.family_group:
        return []
    return [vault.load_draft(s.id) for s in vault.family(draft.family_group) if s.id != draft.id]


def _receipts(draft: Draft) -> dict[str, facts.Filing]:
    out: dict[str, facts.Filing] = {}
    for f in facts.filings(draft):
        r = identifiers.normalize_receipt_number(f.receipt_number)
        if r:
            out.setdefault(r, f)
    return out


def _is_primary(draft: Draft, filing: facts.Filing) -> bool:
    primary = facts.primary_filing(draft)
    return primary is not None and primary.index == filing.index


def receipt_owner(receipt: str, drafts: Sequence[Draft]) -> Draft | None:
    """Which of ``drafts`` a receipt number listed on several of them belongs to.

    A person lists their own filing as the one the request is about (the
    primary filing); a family member's number turns up as an extra row.  So
    the owner is the one draft where the number is the primary filing.  None
    when that does not decide it (primary on several drafts, or on none).
    """
    holders = []
    for d in drafts:
        filing = _receipts(d).get(receipt)
        if filing is not None and _is_primary(d, filing):
            holders.append(d)
    return holders[0] if len(holders) == 1 else None


def shared_receipts(
    draft: Draft, family: Sequence[Draft]
) -> list[tuple[facts.Filing, str, list[Draft], Draft | None]]:
    """Each of ``draft``'s receipt numbers also listed in ``family``.

    Returns (filing, normalised receipt, the other drafts listing it, owner or
    None when it cannot be decided).
    """
    out = []
    for receipt, filing in _receipts(draft).items():
        others = [d for d in family if receipt in _receipts(d)]
        if others:
            out.append((filing, receipt, others, receipt_owner(receipt, [draft, *others])))
    return out
