"""Tests of seen.attack (a package, so its modules are named attack.* and cannot clash)."""
