"""Official form mode: fill the official fillable DHS Form 7001 PDF the attorney imported.

``reader`` reads the PDF's fields and edition marks, ``mapping`` is the mapping as data
(TOML), ``propose`` suggests one for an unknown PDF, ``fill`` fills and flattens it,
``checks`` turns what cannot be shown into findings, ``store`` keeps imported forms in
the data folder.  No Qt here: the CLI, the packet and the window call the same functions.
"""

from ombuds_desktop.official.errors import OfficialFormError

__all__ = ["OfficialFormError"]
