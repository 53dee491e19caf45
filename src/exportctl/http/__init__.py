"""The HTTP application: the REST API under /api/v1 (OpenAPI at /api/v1/openapi.json) and the web pages.

`app.create_app` builds it from two routers, `api` (JSON) and `web` (HTML), and the plumbing both use: the
request dependencies (deps), errors as answers (errors), what is refused at the edge (bodies, edge). The
routers import the plumbing and never each other.
"""
