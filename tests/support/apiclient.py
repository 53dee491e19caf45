"""Helpers for the HTTP tests: an application over a fresh database with one user (and token) per role, and a
real uvicorn server on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from exportctl.core_types import PartyScreener
from exportctl.http.app import create_app
from exportctl.screening.screener import Screener
from exportctl.services import actors, auth, records
from exportctl.store import db as store

API = "/api/v1"
ROLES = ("viewer", "clerk", "officer", "admin")
PASSWORD = "correct horse battery"
# One user per role, named after it: the audit trail must show these names as the actors.
USERS = {"viewer": "vera", "clerk": "carl", "officer": "otto", "admin": "ada"}


@dataclass
class Api:
    client: TestClient
    database_url: str
    tokens: dict[str, str]

    def auth(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def get(self, path: str, role: str | None = "viewer", **kwargs: Any) -> Any:
        return self.client.get(API + path, headers=self.auth(role), **kwargs)

    def post(self, path: str, role: str | None, json: Any = None, **kwargs: Any) -> Any:
        return self.client.post(API + path, headers=self.auth(role), json=json, **kwargs)

    def patch(self, path: str, role: str | None, json: Any = None) -> Any:
        return self.client.patch(API + path, headers=self.auth(role), json=json)


def add_users(database_url: str) -> dict[str, str]:
    """One user per role with a password and an API token; returns the tokens by role."""
    tokens = {}
    with store.session(database_url) as db:
        for role, name in USERS.items():
            records.add_user(db, actors.SYSTEM, name, role)
            auth.set_password(db, actors.SYSTEM, name, PASSWORD)
            tokens[role] = auth.create_token(db, actors.SYSTEM, name, f"{name}-system")
    return tokens


def make_api(database_url: str, screener: PartyScreener | Screener | None) -> Api:
    tokens = add_users(database_url)
    return Api(TestClient(create_app(database_url, screener)), database_url, tokens)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve the app with uvicorn on a free loopback port in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on 127.0.0.1:{port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
