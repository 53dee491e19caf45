"""A licence's attachments over HTTP (issue 16): the REST API (`/api/v1/licences/{number}/attachments`) on SQLite and
PostgreSQL, and the licence page's upload form, list, download and remove button.

The attacker's side: a script named `.pdf`, an endless body (refused after about 10 MiB, never read to its end), a
Content-Length over the limit (refused before any byte is read), a path in the file name, a viewer or clerk
uploading or removing (refused before the body is read), a form without its CSRF token, and an attachment id
asked for under another licence's number (404). A download is an attachment with its name as RFC 6266 and
RFC 5987 give it, the type its bytes showed, no MIME sniffing and a sandboxing Content-Security-Policy.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from exportctl.http import bodies
from exportctl.services import actors, licence_files, orders
from exportctl.store import db as store
from tests.support.apiclient import API, PASSWORD, USERS, Api, make_api
from tests.support.web_client import csrf_of, logged_in

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
SCRIPT = b"<html><body><script>fetch('/api/v1/me')</script></body></html>"
MIB = 1024 * 1024
# 許可証 in UTF-8 (U+8A31 U+53EF U+8A3C), percent-encoded as RFC 5987 asks, then the rest of the name.
ENCODED_NAME = "%E8%A8%B1%E5%8F%AF%E8%A8%BC%20IND-A.pdf"


def _licence(number: str) -> dict[str, Any]:
    return {
        "regime": "jp",
        "type": "individual",
        "number": number,
        "holder": "Example Materials K.K.",
        "destinations": ["KR"],
        "valid_from": dt.date(2019, 8, 8),
        "valid_to": dt.date(2020, 2, 7),
    }


def _with_licences(url: str) -> None:
    with store.session(url) as db:
        for number in ("IND-A", "IND-B"):
            orders.add_licence(db, actors.SYSTEM, **_licence(number))


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    made = make_api(database_url, None)
    _with_licences(database_url)
    yield made


def upload(api: Api, role: str | None, content: bytes, name: str = "許可証 IND-A.pdf", number: str = "IND-A") -> Any:
    files = {"file": (name, content, "application/pdf")}
    return api.client.post(f"{API}/licences/{number}/attachments", headers=api.auth(role), files=files)


def test_an_officer_attaches_a_file_and_everyone_who_reads_the_book_downloads_it(api: Api) -> None:
    created = upload(api, "officer", PDF)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["file_name"] == "許可証 IND-A.pdf"
    assert (body["content_type"], body["size"], body["uploaded_by"]) == ("application/pdf", len(PDF), USERS["officer"])
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["download"] == f"{API}/licences/IND-A/attachments/{body['id']}"

    listed = api.get("/licences/IND-A/attachments").json()
    assert (listed["total"], [a["id"] for a in listed["items"]]) == (1, [body["id"]])
    assert api.get("/licences/IND-B/attachments").json()["total"] == 0

    got = api.client.get(body["download"], headers=api.auth("viewer"))
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{ENCODED_NAME}" in disposition
    assert unquote(ENCODED_NAME) == "許可証 IND-A.pdf"
    assert 'filename="' in disposition and disposition.split('filename="')[1].split('"')[0].isascii()
    assert got.headers["x-content-type-options"] == "nosniff"
    digest = base64.b64encode(hashlib.sha256(PDF).digest()).decode()
    assert got.headers["repr-digest"] == f"sha-256=:{digest}:"  # RFC 9530
    policy = got.headers["content-security-policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy

    trail = api.get("/audit/records", role="officer", params={"subject": "licence:IND-A"}).json()["items"]
    attach = next(r for r in trail if r["action"] == "licence.attach")
    assert attach["payload"]["sha256"] == hashlib.sha256(PDF).hexdigest()

    assert api.client.delete(body["download"], headers=api.auth("officer")).status_code == 204
    assert api.client.get(body["download"], headers=api.auth("viewer")).status_code == 404
    trail = api.get("/audit/records", role="officer", params={"subject": "licence:IND-A"}).json()["items"]
    assert any(r["action"] == "licence.detach" and r["payload"]["sha256"] == body["sha256"] for r in trail)


def test_the_type_comes_from_the_bytes_not_from_the_name_or_the_declared_type(api: Api) -> None:
    refused = upload(api, "officer", SCRIPT, name="licence.pdf")
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("file: not a PDF, PNG, JPEG or TIFF file")
    png = upload(api, "officer", PNG, name="scan.pdf")  # declared application/pdf, named .pdf: a PNG it is
    assert png.status_code == 201
    assert (png.json()["content_type"], png.json()["file_name"]) == ("image/png", "scan.pdf.png")
    got = api.client.get(png.json()["download"], headers=api.auth("viewer"))
    assert got.headers["content-type"] == "image/png"
    assert api.get("/licences/IND-A/attachments").json()["total"] == 1


def test_a_path_in_the_file_name_is_dropped(api: Api) -> None:
    created = upload(api, "officer", PDF, name="../../../../etc/cron.d/job.pdf")
    assert created.status_code == 201 and created.json()["file_name"] == "job.pdf"


@pytest.mark.parametrize("role", [None, "viewer", "clerk"])
def test_only_officers_upload_and_remove(api: Api, role: str | None) -> None:
    assert upload(api, role, PDF).status_code == (401 if role is None else 403)
    attached = upload(api, "officer", PDF).json()
    assert api.client.delete(attached["download"], headers=api.auth(role)).status_code == (401 if role is None else 403)
    assert api.get("/licences/IND-A/attachments").json()["total"] == 1


def test_an_attachment_is_not_found_under_another_licence(api: Api) -> None:
    attached = upload(api, "officer", PDF).json()
    other = f"{API}/licences/IND-B/attachments/{attached['id']}"
    assert api.client.get(other, headers=api.auth("viewer")).status_code == 404
    assert api.client.delete(other, headers=api.auth("officer")).status_code == 404
    assert api.get("/licences/NO-SUCH/attachments").status_code == 404
    assert upload(api, "officer", PDF, number="NO-SUCH").status_code == 404
    assert api.get("/licences/IND-A/attachments").json()["total"] == 1


def test_an_upload_must_be_a_multipart_form_with_a_file(api: Api) -> None:
    as_json = api.post("/licences/IND-A/attachments", "officer", {"file": "JVBERi0="})
    assert as_json.status_code == 422 and as_json.json()["detail"].startswith("file:")
    without_file = api.client.post(
        f"{API}/licences/IND-A/attachments", headers=api.auth("officer"), files={"other": ("a.pdf", PDF)}
    )
    assert without_file.status_code == 422 and without_file.json()["detail"].startswith("file: required")


# --- bodies over the limit: sent straight to the application, counting what it reads ---------------------------


ANSWERED: list[str] = []


def _post_raw(app: FastAPI, path: str, headers: dict[str, str], first: bytes, endless: bool) -> tuple[int, int]:
    """POST `first` and then (if `endless`) zero bytes a MiB at a time for ever; the status answered and the bytes
    the application read (the answer's content type in ANSWERED)."""
    read = 0
    started: list[int] = []
    ANSWERED.clear()

    async def receive() -> dict[str, Any]:
        nonlocal read
        chunk = first if read == 0 else bytes(MIB)
        read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": endless}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            started.append(message["status"])
            ANSWERED.extend(v.decode() for k, v in message["headers"] if k == b"content-type")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return started[0], read


MULTIPART = "multipart/form-data; boundary=b0undary"
FILE_PART = (
    b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
)


def test_an_endless_upload_is_refused_without_reading_it_all(api: Api) -> None:
    app = api.client.app
    headers = {"Authorization": f"Bearer {api.tokens['officer']}", "Content-Type": MULTIPART}
    status, read = _post_raw(app, f"{API}/licences/IND-A/attachments", headers, FILE_PART, endless=True)
    assert status == 413
    assert 10 * MIB < read <= 10 * MIB + 64 * 1024 + MIB + len(FILE_PART)  # the limit and the chunk that passed it
    # Announced as too large: refused before a byte of the body is read.
    status, read = _post_raw(
        app, f"{API}/licences/IND-A/attachments", headers | {"Content-Length": str(50 * MIB)}, FILE_PART, True
    )
    assert (status, read) == (413, 0)
    assert api.get("/licences/IND-A/attachments").json()["total"] == 0


@pytest.mark.parametrize("role", [None, "viewer"])
def test_an_upload_by_someone_who_may_not_upload_is_refused_before_its_body_is_read(api: Api, role: str | None) -> None:
    headers = {"Content-Type": MULTIPART} | api.auth(role)
    status, read = _post_raw(api.client.app, f"{API}/licences/IND-A/attachments", headers, FILE_PART, endless=True)
    assert (status, read) == (401 if role is None else 403, 0)


def test_a_file_just_over_the_limit_is_refused_with_413(api: Api) -> None:
    over = PDF + bytes(10 * MIB + 1 - len(PDF))
    refused = upload(api, "officer", over)
    assert refused.status_code == 413 and refused.json()["detail"].startswith("file: larger than 10 MiB")
    assert upload(api, "officer", PDF + bytes(10 * MIB - len(PDF))).status_code == 201


def test_other_api_bodies_keep_their_1_mib_limit(api: Api) -> None:
    status, read = _post_raw(
        api.client.app,
        f"{API}/parties",  # not an upload path
        {"Content-Type": "application/json", "Authorization": f"Bearer {api.tokens['clerk']}"},
        b'{"code": "',
        endless=True,
    )
    assert status == 413 and read <= 2 * MIB + 10


# --- the licence page -------------------------------------------------------------------------------------------


def test_a_page_upload_announced_too_large_gets_an_error_page_without_a_byte_read(site: dict[str, Any]) -> None:
    officer = browser(site, "officer")
    token = csrf_of(officer.get("/licences/IND-A").text)
    cookie = "; ".join(f"{name}={value}" for name, value in officer.cookies.items())  # after the page: its session
    headers = {"Content-Type": MULTIPART, "Content-Length": str(50 * MIB), "Cookie": cookie, "X-CSRF-Token": token}
    status, read = _post_raw(site["app"], "/licences/IND-A/attachments", headers, FILE_PART, endless=True)
    assert (status, read) == (413, 0)
    assert ANSWERED[0].startswith("text/html")  # the error page, not a problem document


@pytest.fixture
def site(tmp_path: Any) -> Iterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    made = make_api(url, None)
    _with_licences(url)
    yield {"app": made.client.app, "url": url}
    store.engine(url).dispose()


def browser(site: dict[str, Any], role: str) -> TestClient:
    return logged_in(site["app"], USERS[role], PASSWORD)


def test_an_officer_attaches_and_removes_a_file_on_the_licence_page(site: dict[str, Any]) -> None:
    officer = browser(site, "officer")
    page = officer.get("/licences/IND-A").text
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page
    files = {"file": ("許可証.pdf", io.BytesIO(PDF), "application/pdf")}
    sent = officer.post("/licences/IND-A/attachments", data={"csrf_token": csrf_of(page)}, files=files)
    assert sent.status_code == 303 and sent.headers["location"] == "/licences/IND-A#attachments"
    page = officer.get("/licences/IND-A").text
    assert "許可証.pdf" in page
    with store.session(site["url"]) as db:
        [attached] = licence_files.attachments(db, "IND-A")
    link = f"/licences/IND-A/attachments/{attached.id}"
    assert f'href="{link}"' in page
    got = officer.get(link)
    assert got.content == PDF and got.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in got.headers["content-security-policy"]
    assert officer.get(f"/licences/IND-B/attachments/{attached.id}").status_code == 404

    assert officer.post(f"{link}/remove").status_code == 403  # no CSRF token
    removed = officer.post(f"{link}/remove", data={"csrf_token": csrf_of(page)})
    assert removed.status_code == 303
    with store.session(site["url"]) as db:
        assert licence_files.attachments(db, "IND-A") == []


def test_the_page_refuses_a_script_named_pdf_and_a_form_without_csrf(site: dict[str, Any]) -> None:
    officer = browser(site, "officer")
    token = csrf_of(officer.get("/licences/IND-A").text)
    files = {"file": ("licence.pdf", io.BytesIO(SCRIPT), "application/pdf")}
    refused = officer.post("/licences/IND-A/attachments", data={"csrf_token": token}, files=files)
    assert refused.status_code == 422 and "file: not a PDF, PNG, JPEG or TIFF file" in refused.text
    files = {"file": ("licence.pdf", io.BytesIO(PDF), "application/pdf")}
    assert officer.post("/licences/IND-A/attachments", files=files).status_code == 403
    with store.session(site["url"]) as db:
        assert licence_files.attachments(db, "IND-A") == []


@pytest.mark.parametrize("role", ["viewer", "clerk"])
def test_viewers_and_clerks_see_the_files_but_no_upload_form(site: dict[str, Any], role: str) -> None:
    with store.session(site["url"]) as db:
        attachment_id = licence_files.attach(
            db, actors.Actor("otto", actors.Role.OFFICER), "IND-A", "scan.pdf", io.BytesIO(PDF)
        ).id
    reader = browser(site, role)
    page = reader.get("/licences/IND-A").text
    assert "scan.pdf" in page and 'name="file"' not in page and "/remove" not in page
    token = csrf_of(page)
    files = {"file": ("a.pdf", io.BytesIO(PDF), "application/pdf")}
    assert reader.post("/licences/IND-A/attachments", data={"csrf_token": token}, files=files).status_code == 403
    remove = f"/licences/IND-A/attachments/{attachment_id}/remove"
    assert reader.post(remove, data={"csrf_token": token}).status_code == 403
    assert reader.get(f"/licences/IND-A/attachments/{attachment_id}").content == PDF


def test_the_upload_limit_applies_to_the_upload_paths_only() -> None:
    assert bodies.UPLOADS.match("/api/v1/licences/IND-A/attachments")
    assert bodies.UPLOADS.match("/licences/許可-1/attachments")
    assert not bodies.UPLOADS.match("/api/v1/licences/IND-A/attachments/1")
    assert not bodies.UPLOADS.match("/api/v1/orders")
