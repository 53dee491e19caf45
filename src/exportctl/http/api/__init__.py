"""The REST API's routers, under /api/v1 (the application that serves them is exportctl.http.app)."""
