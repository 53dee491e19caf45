"""A licence's attachments (the scanned licence): upload (officer, multipart/form-data with a part `file`), list,
download and remove (officer). The rules are in services/licence_files.py; the upload and download in http/files.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from starlette.responses import Response

from exportctl.http.api.v1 import schemas
from exportctl.http.deps import Database, Officer, Viewer
from exportctl.http.files import Upload, download
from exportctl.http.pagination import Limit, Offset, envelope, page
from exportctl.services import licence_files
from exportctl.store.models import LicenceAttachment

router = APIRouter(tags=["records"])
PATH = "/licences/{number}/attachments"
FILE_TYPES = sorted(kind.content_type for kind in licence_files.KINDS)
BINARY = {"type": "string", "format": "binary"}
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": BINARY},
                }
            }
        },
    }
}


def attachment_dict(number: str, attachment: LicenceAttachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "file_name": attachment.file_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_by": attachment.uploaded_by,
        "uploaded_at": attachment.uploaded_at.isoformat(),
        "download": f"/api/v1/licences/{quote(number, safe='')}/attachments/{attachment.id}",
    }


@router.get(PATH, response_model=schemas.Page[schemas.Attachment], summary="A licence's attachments")
def list_attachments(number: str, db: Database, actor: Viewer, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    rows, total = page(db, licence_files.listing(licence_files.licence_by_number(db, number)), limit, offset)
    return envelope([attachment_dict(number, row) for row in rows], total, limit, offset)


@router.post(
    PATH,
    response_model=schemas.Attachment,
    status_code=201,
    summary=f"Attach a file to a licence (officer): {licence_files.ACCEPTED}, at most 10 MiB",
    openapi_extra=UPLOAD_BODY,
)
def upload(number: str, db: Database, actor: Officer, file: Upload) -> dict[str, Any]:
    # `file` is read after the role check (http/files.py): a viewer's upload is refused before its body is read.
    return attachment_dict(number, licence_files.attach(db, actor, number, file.name, file.stream))


@router.get(
    PATH + "/{attachment_id}",
    response_class=Response,
    responses={200: {"content": {kind: {"schema": BINARY} for kind in FILE_TYPES}, "description": "The file"}},
    summary="Download an attachment (as the type its bytes were recognised as)",
)
def get_attachment(number: str, attachment_id: int, db: Database, actor: Viewer) -> Response:
    return download(licence_files.read(db, number, attachment_id))


@router.delete(PATH + "/{attachment_id}", status_code=204, response_class=Response, summary="Remove an attachment")
def remove_attachment(number: str, attachment_id: int, db: Database, actor: Officer) -> Response:
    licence_files.remove(db, actor, number, attachment_id)
    return Response(status_code=204)
