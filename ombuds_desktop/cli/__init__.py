"""The command line (`ombuds-desktop ...`): one module per command group, loaded by main.py."""
