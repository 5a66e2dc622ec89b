"""Tests of seen.store (a package, so its modules are named store.* and cannot clash)."""
