"""Make a blank fillable form in LibreOffice Writer and export it to PDF (system python3).

Runs under the Python that LibreOffice's UNO bridge (python3-uno) belongs to, not the
project's venv:  /usr/bin/python3 lo_official.py OUT.pdf SPEC.json
SPEC is a JSON list of fields: {name, kind (text|checkbox|radio), at [x, y, w, h] in
1/100 mm, tip (the help text LibreOffice exports as the tooltip), label, export,
values, multiline, maxlen}.  The document and its export: tests/packet/corpus/lo_writer.py.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "packet" / "corpus"))
from lo_writer import writer_form  # noqa: E402

SPEC = "[]"
HEADING = (
    "DHS Form 7001 (made-up test copy)  OMB No. 1601-0004  Expires 09/30/2025  Edition 11/02/22"
)


def main(out, values):
    with writer_form(out, HEADING) as form:
        control = form.control
        spec = json.loads(SPEC)
        for f in spec:
            x, y, w, h = f["at"]
            if f.get("label"):
                control(
                    "FixedText", "lbl_" + f["name"], x, y - 500, w + 4000, 450, Label=f["label"]
                )
            if f["kind"] == "text":
                control(
                    "TextField",
                    f["name"],
                    x,
                    y,
                    w,
                    h,
                    HelpText=f.get("tip", ""),
                    MultiLine=bool(f.get("multiline")),
                    MaxTextLen=f.get("maxlen", 0),
                )
            elif f["kind"] == "checkbox":
                control(
                    "CheckBox",
                    f["name"],
                    x,
                    y,
                    w,
                    h,
                    Label="",
                    HelpText=f.get("tip", ""),
                    RefValue=f["export"],
                    State=0,
                )
            elif f["kind"] == "radio":
                for i, ref in enumerate(f["values"]):
                    control(
                        "RadioButton",
                        f["name"],
                        x + 2500 * i,
                        y,
                        w,
                        h,
                        Label=ref,
                        HelpText=f.get("tip", ""),
                        RefValue=ref,
                        State=0,
                    )


if __name__ == "__main__":
    SPEC = sys.argv[2]
    main(sys.argv[1], {})
