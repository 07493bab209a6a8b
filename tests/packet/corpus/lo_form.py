"""Make a filled LibreOffice Writer form and export it to PDF (run with the system python3).

Runs under the Python that LibreOffice's UNO bridge (python3-uno) belongs to,
not the project's venv:  /usr/bin/python3 lo_form.py OUT.pdf [values.json]

The form has a text field, a multi-line field, a comb field, a check box, two
radio buttons and a list box.  Its values are set as a user would type them.
All names are made up.
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
        text.insertString(text.End, "Made-up application form (LibreOffice Writer)", False)
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

        v = {
            "family_name": "Okonkwo-Halvorsen",
            "story": "Filed the petition in March.\nThe notice never arrived.",
            "zip": "20529",
            "agree": True,
            "status": "married",
            "country": "Peru",
            **values,
        }
        control("TextField", "family_name", 2000, 4000, 9000, 800, Text=v["family_name"])
        control("TextField", "story", 2000, 5200, 12000, 2400, MultiLine=True, Text=v["story"])
        control("TextField", "zip", 2000, 8000, 5000, 800, MaxTextLen=5, Text=v["zip"])
        control("CheckBox", "agree", 2000, 9200, 600, 600, Label="", State=1 if v["agree"] else 0)
        for i, choice in enumerate(("single", "married")):
            control(
                "RadioButton",
                "status",
                2000 + 1200 * i,
                10200,
                600,
                600,
                Label="",
                RefValue=choice,
                State=1 if v["status"] == choice else 0,
            )
        items = ("Chad", "Peru", "Fiji")
        control(
            "ListBox",
            "country",
            2000,
            11200,
            6000,
            800,
            Dropdown=True,
            StringItemList=items,
            SelectedItems=(items.index(v["country"]),),
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
    main(sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})
