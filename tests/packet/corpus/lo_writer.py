"""A LibreOffice Writer document with form controls, exported to PDF (system python3).

Runs under the Python that LibreOffice's UNO bridge (python3-uno) belongs to, not the
project's venv.  Shared by the scripts that make test PDFs with LibreOffice: lo_form.py
here (a filled form) and tests/official/lo_official.py (a blank official-looking form).
"""

import contextlib
import os
import shutil
import subprocess
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


class WriterForm:
    """The open document: ``control(kind, name, x, y, w, h, **props)`` places a form
    control (positions and sizes in 1/100 mm) and returns its model."""

    def __init__(self, doc):
        self.doc = doc
        self.page = doc.DrawPage
        form = doc.createInstance("com.sun.star.form.component.Form")
        form.Name = "Standard"
        self.page.Forms.insertByName("Standard", form)

    def control(self, kind, name, x, y, w, h, **props):
        model = self.doc.createInstance(f"com.sun.star.form.component.{kind}")
        model.Name = name
        for k, v in props.items():
            setattr(model, k, v)
        shape = self.doc.createInstance("com.sun.star.drawing.ControlShape")
        shape.Position = Point(x, y)
        shape.Size = Size(w, h)
        shape.Control = model
        shape.AnchorType = uno.Enum("com.sun.star.text.TextContentAnchorType", "AT_PAGE")
        self.page.add(shape)
        return model


@contextlib.contextmanager
def writer_form(out, heading):
    """A new Writer document headed ``heading`` in a throwaway LibreOffice; what the
    ``with`` block places in it is exported to ``out`` as a PDF with form fields."""
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
    desktop = None
    try:
        ctx = connect(pipe)
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            "private:factory/swriter", "_blank", 0, (prop("Hidden", True),)
        )
        text = doc.Text
        text.insertString(text.End, heading, False)
        yield WriterForm(doc)
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
