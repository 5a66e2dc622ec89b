"""Tests of seen.encode (a package, so its modules are named encode.* and cannot clash)."""
