"""The one error of official-form mode: a message the user can act on, in one line."""

from __future__ import annotations


class OfficialFormError(Exception):
    """An official PDF or mapping that cannot be used; ``str()`` says what it is and what to do."""
