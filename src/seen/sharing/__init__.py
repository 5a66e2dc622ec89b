"""Sharing with practitioners and the young person: chronologies, pending releases."""
