"""The desktop app (PySide6).  Only modules in this package may import Qt."""
