"""The wizard's pages, each built the first time it is needed.

A section page is a few hundred styled widgets; building all twelve made opening a
draft cost ~0.3 s on a small machine, for pages the user may never visit.  The
window asks for a page by its place in the list (``pages[i]``) and gets it built;
code that must not build one asks :meth:`LazyPages.built_at`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import overload

from PySide6.QtWidgets import QWidget


class LazyPages(Sequence[QWidget]):
    """Pages in navigation order; ``make(i)`` builds page ``i``, then ``ready(i, page)``
    fills it (the page is already in the list then, so ``ready`` may ask for it again)."""

    def __init__(
        self, make: Callable[[int], QWidget], ready: Callable[[int, QWidget], None]
    ) -> None:
        self._items: list[QWidget | None] = []
        self._make = make
        self._ready = ready

    def add(self, page: QWidget | None) -> None:
        """A page built already, or None for one built when first asked for."""
        self._items.append(page)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> QWidget: ...

    @overload
    def __getitem__(self, index: slice) -> list[QWidget]: ...

    def __getitem__(self, index: int | slice) -> QWidget | list[QWidget]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self._items))[index]]
        index = range(len(self._items))[index]  # negative indexes; IndexError when out of range
        page = self._items[index]
        if page is None:
            page = self._items[index] = self._make(index)
            self._ready(index, page)
        return page

    def built_at(self, index: int) -> QWidget | None:
        """Page ``index`` if it is built (None for an index out of range too)."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def built(self) -> Iterator[QWidget]:
        return (page for page in self._items if page is not None)
