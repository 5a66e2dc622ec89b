"""The JSON API under /api/v1: what the pages show, under the same rules, for other systems."""
