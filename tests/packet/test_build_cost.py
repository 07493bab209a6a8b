"""Issue 12 follow-up, speed: work a packet build does not need is not done.

Each test names one piece of avoidable work found by profiling a build of the
real-producer corpus (``benchmarks/bench_packet.py``).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pycountry

from ombuds_desktop import geo
from ombuds_desktop.packet import PacketOptions, assemble, build_packet

from .support import BUILD_DATE, make_pdf, make_tiff, page_texts


def test_index_is_rendered_once_when_its_page_count_was_right(case, monkeypatch):
    calls: list[int] = []
    real = assemble.render_index

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(assemble, "render_index", counting)
    result = build_packet(case.draft, case.root, options=PacketOptions(build_date=BUILD_DATE))
    assert len(calls) == 1
    # the index still shows the real page ranges (its own page counted)
    index_text = next(t for t in page_texts(result.pdf) if "Exhibit" in t and "Pages" in t)
    assert "A" in index_text


def test_index_longer_than_guessed_is_rendered_again(case, monkeypatch):
    """Negative case: an index of several pages is laid out again for its real length."""
    for k in range(60):
        case.add("other", f"Made-up exhibit {k}", f"x-{k}.pdf", make_pdf([f"Exhibit page {k}"]))
    calls: list[int] = []
    real = assemble.render_index

    def counting(*args, **kwargs):
        out = real(*args, **kwargs)
        calls.append(out.pages)
        return out

    monkeypatch.setattr(assemble, "render_index", counting)
    build_packet(case.draft, case.root, options=PacketOptions(build_date=BUILD_DATE))
    assert calls[0] > 1 and len(calls) == 2 and calls[1] == calls[0]


def test_us_states_are_pycountry_s():
    """Read from pycountry's data file directly, the same names in the same order."""
    subs = pycountry.subdivisions.get(country_code="US")
    expected = dict(sorted(((s.code[3:], s.name) for s in subs), key=lambda kv: kv[1]))
    assert list(geo.us_states().items()) == list(expected.items())
    assert geo.us_state_name("pr") == "Puerto Rico" and geo.us_state_name("ZZ") is None


def _modules_after(snippet: str) -> set[str]:
    code = textwrap.dedent(
        f"""
        import sys
        {snippet}
        print("\\n".join(sorted(sys.modules)))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(done.stdout.split())


def test_an_image_loads_only_its_own_pillow_decoder(tmp_path):
    """A TIFF no longer makes Pillow import all of its ~50 format plugins."""
    (tmp_path / "scan.tif").write_bytes(make_tiff(2))
    mods = _modules_after(
        f"""
        from pathlib import Path
        from ombuds_desktop.draft import Attachment
        from ombuds_desktop.packet import PacketOptions
        from ombuds_desktop.packet.exhibits import load_evidence
        att = Attachment("other", "Made-up scan", "scan.tif", id="att-t")
        ev = load_evidence(att, Path({str(tmp_path / "scan.tif")!r}).read_bytes(), PacketOptions())
        assert ev.pages == 2
        """
    )
    assert "PIL.TiffImagePlugin" in mods
    assert not {"PIL.WmfImagePlugin", "PIL.PsdImagePlugin", "PIL.IcoImagePlugin"} & mods


def test_reportlab_uses_its_c_accelerators():
    """rl-accel is a dependency: reportlab's number formatting is the C one, not Python's."""
    from reportlab.lib import rl_accel

    assert type(rl_accel.fp_str).__name__ == "builtin_function_or_method"


def test_page_count_pass_measures_but_does_not_draw(monkeypatch):
    """render_paged lays out twice ("Page X of Y"); only the second pass draws the text."""
    from ombuds_desktop.packet import layout
    from ombuds_desktop.printed import fonts

    drawn: list[str] = []
    real = fonts.draw

    def counting(c, x, y, s, *args, **kwargs):
        drawn.append(s)
        return real(c, x, y, s, *args, **kwargs)

    monkeypatch.setattr(fonts, "draw", counting)

    def draw(s: layout.Sheet) -> None:
        for k in range(120):  # more than a page: the probe must still count the pages
            s.paragraph(f"Made-up line {k} شهادة")

    out = layout.render_paged("Probe", draw, footer=lambda p, t: f"Page {p} of {t}")
    assert out.pages >= 2
    assert sum(1 for s in drawn if s.startswith("Made-up line")) == 120
    assert f"Page 1 of {out.pages}" in drawn and "Page 1 of None" not in drawn
    text = page_texts(out.pdf)
    assert "Made-up line 119" in text[-1] and f"Page {out.pages} of {out.pages}" in text[-1]
