"""Text as it is printed: the Noto fonts with their fallback chain and shaping
(``fonts``), and answers formatted as the paper shows them (``values``).

Shared by the typeset form (``packet``), the official form's plan (``official``) and
the glyph checks (``validation``), so it imports none of them: measuring a value for
the official form's box must not pull in the packet that draws it.
"""
