# Stubs for uharfbuzz (Cython, ships no type information): what ombuds_desktop.packet.fonts uses.
from collections.abc import Mapping, Sequence
from enum import IntEnum

__version__: str

class Blob:
    def __init__(self, data: bytes | None = None) -> None: ...

class Face:
    def __init__(self, blob: Blob | bytes | None = None, index: int = 0) -> None: ...

class Font:
    ptem: float
    def __init__(self, face_or_font: Face | Font | None = None) -> None: ...
    def glyph_to_string(self, gid: int) -> str: ...

class BufferClusterLevel(IntEnum):
    MONOTONE_GRAPHEMES = 0
    MONOTONE_CHARACTERS = 1
    CHARACTERS = 2
    GRAPHEMES = 3

class GlyphInfo:
    @property
    def codepoint(self) -> int: ...
    @property
    def cluster(self) -> int: ...
    @property
    def mask(self) -> int: ...

class GlyphPosition:
    @property
    def x_advance(self) -> int: ...
    @property
    def y_advance(self) -> int: ...
    @property
    def x_offset(self) -> int: ...
    @property
    def y_offset(self) -> int: ...

class Buffer:
    def __init__(self) -> None: ...
    cluster_level: BufferClusterLevel
    direction: str
    script: str
    language: str
    def add_str(self, text: str, item_offset: int = 0, item_length: int = -1) -> None: ...
    def guess_segment_properties(self) -> None: ...
    @property
    def glyph_infos(self) -> list[GlyphInfo]: ...
    @property
    def glyph_positions(self) -> list[GlyphPosition]: ...

def shape(
    font: Font,
    buffer: Buffer,
    features: Mapping[str, int | bool | Sequence[tuple[int, int, int | bool]]] | None = None,
    shapers: list[str] | None = None,
) -> None: ...
