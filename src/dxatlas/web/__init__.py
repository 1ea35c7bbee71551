"""The dxatlas web app: a JSON API under `/api/v1` and server-rendered HTML pages."""

from dxatlas.web.app import create_app

__all__ = ["create_app"]
