"""Tests of seen.formats (a package, so its modules are named formats.* and cannot clash)."""
