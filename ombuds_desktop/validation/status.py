"""A draft's status, derived from its findings rather than taken from a file.

"submitted" and "resolved" are facts the user records; "ready" (no errors
left) and "draft" are computed, so an imported file that says "ready" while
errors remain is listed as a draft.

Storage does not read the form's rules: the CLI and the GUI hand
:func:`describe_draft` to the vault (``Vault.open(..., describe=describe_draft)``)
for what its drafts list shows (status, client, forms and receipts), and pass
every received draft file through :func:`prepare_import` before
``Vault.import_draft``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ombuds_desktop.draft import facts
from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef import FormDefinition, FormDefinitionError
from ombuds_desktop.validation.findings import Finding, has_errors
from ombuds_desktop.vault.records import Listing

RECORDED = ("submitted", "resolved")


def derived_status(draft: Draft, findings: Sequence[Finding]) -> str:
    if draft.status in RECORDED:
        return draft.status
    return "draft" if has_errors(list(findings)) else "ready"


def draft_status(
    draft: Draft,
    definition: FormDefinition | None = None,
    *,
    today: date | None = None,
    related: Sequence[Draft] = (),
) -> str:
    """The status to show for ``draft``; "draft" when its edition cannot be loaded."""
    from ombuds_desktop.validation.engine import has_error

    if draft.status in RECORDED:
        return draft.status
    try:  # only whether an error remains: stops at the first (computed at every save)
        errors = has_error(draft, definition, today=today, related=related)
    except FormDefinitionError:
        return "draft"
    return "draft" if errors else "ready"


def describe_draft(draft: Draft) -> Listing:
    """What the drafts list shows of ``draft``, computed at each save (see ``Vault.open``)."""
    return Listing(
        status=draft_status(draft),
        client=facts.client_name(draft),
        forms_and_receipts=facts.forms_and_receipts(draft),
        receipts=tuple(facts.receipt_numbers(draft)),
    )


def prepare_import(draft: Draft) -> Draft:
    """A received draft as it should be stored: forced answers set, status recomputed.

    The file's own word is not trusted.  Returns a copy (``draft`` is not
    changed); a draft that cannot be stored at all (too deeply nested, a lone
    surrogate, a bad id) raises the vault's one-line
    :class:`~ombuds_desktop.vault.InvalidDraftError` first, before anything
    walks its values.
    """
    from ombuds_desktop.vault.intake import check_storable

    check_storable(draft)
    fixed = draft.copy()
    facts.apply_forced_answers(fixed)
    fixed.status = draft_status(fixed)
    return fixed
