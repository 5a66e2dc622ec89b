"""The web app: `create_app(settings)` builds it (FastAPI, GOV.UK Frontend, JSON API)."""

from seen.web.app import create_app

__all__ = ["create_app"]
