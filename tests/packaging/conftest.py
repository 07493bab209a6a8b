"""The packaging tests build the frozen app and the wheel; they are marked slow (pyproject)."""
