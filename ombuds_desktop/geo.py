"""Country and U.S. state/territory codes (ISO 3166), from pycountry."""

from __future__ import annotations

from functools import lru_cache

import pycountry


@lru_cache(maxsize=1)
def us_states() -> dict[str, str]:
    """Two-letter code -> name for the states, DC and the territories, sorted by name."""
    subs = pycountry.subdivisions.get(country_code="US")
    return dict(sorted(((s.code.split("-")[1], s.name) for s in subs), key=lambda kv: kv[1]))


@lru_cache(maxsize=1)
def countries() -> tuple[tuple[str, str], ...]:
    """(alpha-2 code, common name) pairs, sorted by name."""
    items = ((c.alpha_2, getattr(c, "common_name", None) or c.name) for c in pycountry.countries)
    return tuple(sorted(items, key=lambda kv: kv[1]))


def us_state_name(code: object) -> str | None:
    return us_states().get(str(code).upper())


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return dict(countries())


def country_name(code: object) -> str | None:
    """The everyday name of an ISO alpha-2 code ("Venezuela"), or None if unknown."""
    return _country_names().get(str(code).upper())
