"""Make a filled LibreOffice Writer form and export it to PDF (run with the system python3).

Runs under the Python that LibreOffice's UNO bridge (python3-uno) belongs to,
not the project's venv:  /usr/bin/python3 lo_form.py OUT.pdf [values.json]

The form has a text field, a multi-line field, a comb field, a check box, two
radio buttons and a list box.  Its values are set as a user would type them.
All names are made up.
"""

import json
import sys

from lo_writer import writer_form


def main(out, values):
    v = {
        "family_name": "Okonkwo-Halvorsen",
        "story": "Filed the petition in March.\nThe notice never arrived.",
        "zip": "20529",
        "agree": True,
        "status": "married",
        "country": "Peru",
        **values,
    }
    with writer_form(out, "Made-up application form (LibreOffice Writer)") as form:
        control = form.control
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


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})
