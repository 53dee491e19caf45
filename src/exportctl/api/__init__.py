"""The HTTP application: the REST API under /api/v1 (OpenAPI at /api/v1/openapi.json) and the web UI."""

from exportctl.api.app import create_app

__all__ = ["create_app"]
