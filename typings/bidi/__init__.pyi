# Stubs for python-bidi (its wrapper is annotated but ships no py.typed marker).
from typing import overload

VERSION: str
VERSION_TUPLE: tuple[int, int, int]

@overload
def get_display(
    str_or_bytes: str, encoding: str = "utf-8", base_dir: str | None = None, debug: bool = False
) -> str: ...
@overload
def get_display(
    str_or_bytes: bytes, encoding: str = "utf-8", base_dir: str | None = None, debug: bool = False
) -> bytes: ...
def get_base_level(text: str) -> int: ...
