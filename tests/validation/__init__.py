"""Tests of ombuds_desktop.validation (a package so its module names cannot clash)."""
