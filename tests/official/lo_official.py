"""Make a blank fillable form in LibreOffice Writer and export it to PDF (system python3).

Runs under the Python that LibreOffice's UNO bridge (python3-uno) belongs to, not the
project's venv:  /usr/bin/python3 lo_official.py OUT.pdf SPEC.json
SPEC is a JSON list of fields: {name, kind (text|checkbox|radio), at [x, y, w, h] in
1/100 mm, tip (the help text LibreOffice exports as the tooltip), label, export,
values, multiline, maxlen}.  Adapted from tests/packet/corpus/lo_form.py.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.awt import Point, Size
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(150):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.2)
    raise SystemExit("LibreOffice did not start")


SPEC = "[]"


def main(out, values):
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    pipe = f"omb{os.getpid()}"
    proc = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ctx = connect(pipe)
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            "private:factory/swriter", "_blank", 0, (prop("Hidden", True),)
        )
        text = doc.Text
        text.insertString(
            text.End,
            "DHS Form 7001 (made-up test copy)  OMB No. 1601-0004  Expires 09/30/2025  "
            "Edition 11/02/22",
            False,
        )
        page = doc.DrawPage
        form = doc.createInstance("com.sun.star.form.component.Form")
        form.Name = "Standard"
        page.Forms.insertByName("Standard", form)

        def control(kind, name, x, y, w, h, **props):
            model = doc.createInstance(f"com.sun.star.form.component.{kind}")
            model.Name = name
            for k, v in props.items():
                setattr(model, k, v)
            shape = doc.createInstance("com.sun.star.drawing.ControlShape")
            shape.Position = Point(x, y)
            shape.Size = Size(w, h)
            shape.Control = model
            shape.AnchorType = uno.Enum("com.sun.star.text.TextContentAnchorType", "AT_PAGE")
            page.add(shape)
            return model

        spec = json.loads(SPEC)
        for f in spec:
            x, y, w, h = f["at"]
            if f.get("label"):
                label = doc.createInstance("com.sun.star.form.component.FixedText")
                label.Name = "lbl_" + f["name"]
                label.Label = f["label"]
                shape = doc.createInstance("com.sun.star.drawing.ControlShape")
                shape.Position = Point(x, y - 500)
                shape.Size = Size(w + 4000, 450)
                shape.Control = label
                shape.AnchorType = uno.Enum("com.sun.star.text.TextContentAnchorType", "AT_PAGE")
                page.add(shape)
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
        filters = (
            prop("FilterName", "writer_pdf_Export"),
            prop(
                "FilterData",
                uno.Any(
                    "[]com.sun.star.beans.PropertyValue",
                    (
                        prop("ExportFormFields", True),
                        prop("FormsType", 0),
                    ),
                ),
            ),
        )
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(out)), filters)
        doc.close(True)
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    SPEC = sys.argv[2]
    main(sys.argv[1], {})
