"""Country and U.S. state/territory codes (ISO 3166), from pycountry."""

from __future__ import annotations

import json
import os
from functools import lru_cache

import pycountry


@lru_cache(maxsize=1)
def us_states() -> dict[str, str]:
    """Two-letter code -> name for the states, DC and the territories, sorted by name."""
    # pycountry's own ISO 3166-2 data, read directly: ``pycountry.subdivisions`` builds
    # objects for all ~5,000 subdivisions of the world (a tenth of a packet build's time)
    # to answer for 57 U.S. ones.
    try:
        with open(os.path.join(pycountry.DATABASE_DIR, "iso3166-2.json"), encoding="utf-8") as f:
            entries = json.load(f)["3166-2"]
        pairs = [(e["code"][3:], e["name"]) for e in entries if e["code"].startswith("US-")]
    except (OSError, KeyError, TypeError, ValueError):
        pairs = [(s.code[3:], s.name) for s in pycountry.subdivisions.get(country_code="US")]
    return dict(sorted(pairs, key=lambda kv: kv[1]))


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
