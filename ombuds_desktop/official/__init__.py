"""Official form mode: fill the official fillable DHS Form 7001 PDF the attorney imported.

The official PDF as data: ``reader`` reads the PDF's fields and edition marks,
``mapping`` is the mapping as data (TOML), ``propose`` suggests one for an unknown PDF,
``plan`` decides what each field shows and what goes to the addendum, ``checks`` turns
what cannot be shown into findings, ``store`` keeps imported forms in the data folder,
``target`` finds the one the packet uses.  Filling, flattening and drawing its pages
is the packet's (``packet/official_fill.py``, ``packet/official_form.py``), so this
package imports nothing from ``packet``, ``ui`` or Qt (``tests/official/test_layers.py``).
The CLI, the packet and the window call the same functions.
"""

from ombuds_desktop.official.errors import OfficialFormError

__all__ = ["OfficialFormError"]
