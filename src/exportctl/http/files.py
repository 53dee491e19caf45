"""Files over HTTP, for the pages and the API alike: an uploaded file read from a multipart form, and a stored file
sent back as a download that no browser renders in the application's origin.

An upload is read by a dependency declared after the caller's role, so a request without the right role is
refused before its body is read (FastAPI reads a declared `File()` body before any dependency runs). The body is
bounded by http/bodies.py while it arrives; services/licence_files.py bounds the file again while reading it.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, BinaryIO
from urllib.parse import quote

from fastapi import Depends, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from exportctl.services.errors import Invalid
from exportctl.store.models import LicenceAttachment

FIELD = "file"
# A download is never a page of this site: no scripts, no plugins, no forms, no same-origin access, no framing.
DOWNLOAD_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


@dataclass(frozen=True)
class Uploaded:
    name: str | None  # as the client sent it: the service makes it safe
    stream: BinaryIO


async def uploaded_file(request: Request) -> AsyncIterator[Uploaded]:
    """The form's one `file` part (multipart/form-data), or Invalid naming the field; the form's spooled files are
    closed (their temporary files removed) when the endpoint returns."""
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise Invalid(f"{FIELD}: send the file as multipart/form-data in a part named '{FIELD}'")
    form = await request.form(max_files=1, max_fields=10)
    try:
        part = form.get(FIELD)
        if not isinstance(part, UploadFile):
            raise Invalid(f"{FIELD}: required (a part named '{FIELD}' holding the file)")
        yield Uploaded(part.filename, part.file)
    finally:
        await form.close()


Upload = Annotated[Uploaded, Depends(uploaded_file, scope="function")]


def content_disposition(name: str) -> str:
    """`attachment`, with the name as RFC 6266/5987 give it: `filename*` in UTF-8 (percent-encoded, so Japanese names
    arrive whole) and a plain ASCII `filename` for clients that read only that."""
    fallback = "".join(ch if " " <= ch < "\x7f" and ch not in '"\\;%' else "_" for ch in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(attachment: LicenceAttachment) -> Response:
    """The stored file, as the type its bytes were recognised as, to be saved, never shown in the site's origin; its
    SHA-256 (the one the ledger recorded at upload) in `Repr-Digest`."""
    headers = {
        "Content-Disposition": content_disposition(attachment.file_name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": DOWNLOAD_POLICY,
        "Cache-Control": "private, no-store",
        "Repr-Digest": f"sha-256=:{base64.b64encode(bytes.fromhex(attachment.sha256)).decode()}:",  # RFC 9530
    }
    return Response(attachment.content, media_type=attachment.content_type, headers=headers)
