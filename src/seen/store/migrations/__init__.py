"""Alembic migrations for the hub store (a package so that setuptools ships them)."""
