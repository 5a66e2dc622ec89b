"""Readers and validators for agency extracts: every problem collected, then reported."""
