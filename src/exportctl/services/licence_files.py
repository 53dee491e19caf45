"""Files kept with a licence: the scanned licence, the authority's letter, an amendment notice.

**What is accepted.** PDF, PNG, JPEG and TIFF only, recognised by their first bytes (their "magic numbers"), never
by the content type or the file name the client sends: a script named `licence.pdf` is refused, and a file is
served back with the type its bytes showed. A file is read in chunks and refused as soon as it passes MAX_BYTES,
without reading the rest (the HTTP layer also stops a request body a little over it while it arrives). The name
kept is the last part of the name sent (no folders), without control or format characters (a right-to-left
override can disguise an extension) and without characters that file systems refuse; Japanese and any other
script stay as they are; a name whose extension does not fit the recognised type gets the right one added.

**Who.** Attaching a file is amending the licence's record, so it needs an officer, as `orders.amend_licence`
does; removing one needs an officer too. Anyone who may read the licence book (viewer and up) lists and
downloads them.

**Records.** The bytes are stored in the database (`LicenceAttachment`): an upload and its ledger record are one
transaction on SQLite and PostgreSQL, and a backup of the database holds the files. The ledger records
`licence.attach` and `licence.detach` under the licence's subject, naming the file's SHA-256, size and type, so the
licence's audit trail shows them and a file downloaded later can be checked against the record of its upload.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, undefer

from exportctl import ledger
from exportctl.services.actors import Actor, Role
from exportctl.services.errors import Invalid, NotFound, TooLarge, shown
from exportctl.store.models import Licence, LicenceAttachment

MAX_BYTES = 10 * 1024 * 1024  # 10 MiB: a scanned licence of a few pages at 300 dpi
CHUNK = 64 * 1024
NAME_MAX = 255  # characters; most file systems allow 255 bytes, so longer Japanese names are cut on download
FIELD = "file"


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]  # the first is added to a name without one of them
    magic: tuple[bytes, ...]


KINDS = (
    Kind("application/pdf", (".pdf",), (b"%PDF-",)),
    Kind("image/png", (".png",), (b"\x89PNG\r\n\x1a\n",)),
    Kind("image/jpeg", (".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
    Kind("image/tiff", (".tif", ".tiff"), (b"II*\x00", b"MM\x00*")),
)
ACCEPTED = "PDF, PNG, JPEG or TIFF"
# Characters Windows, macOS or a shell treat specially in a file name; replaced so the name saved is the name shown.
_RESERVED = re.compile(r'[<>:"/\\|?*]')


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def kind_of(head: bytes) -> Kind | None:
    """The accepted kind whose magic number the bytes start with, or None."""
    return next((kind for kind in KINDS if head.startswith(kind.magic)), None)


def read_limited(stream: Readable, limit: int = MAX_BYTES) -> bytes:
    """The stream's bytes, read a chunk at a time; TooLarge as soon as they pass `limit` (the rest is not read)."""
    parts: list[bytes] = []
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"{FIELD}: larger than {limit // (1024 * 1024)} MiB ({limit:,} bytes)")
        parts.append(chunk)
    return b"".join(parts)


def safe_name(sent: str | None, kind: Kind) -> str:
    """The file name to keep: the last part of the name sent, without control and format characters nor those file
    systems refuse, not starting with a dot, at most NAME_MAX characters, ending in an extension of its kind."""
    text = unicodedata.normalize("NFC", sent or "")
    text = re.split(r"[/\\]", text)[-1]  # a path's last part: "../../etc/passwd" and "C:\\x\\y.pdf" lose their folders
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
    text = _RESERVED.sub("_", text).strip().lstrip(".").strip()
    stem, dot, extension = text.rpartition(".")
    if not dot or f".{extension.lower()}" not in kind.extensions:
        stem, extension = text, kind.extensions[0].lstrip(".")
    stem = stem.rstrip(". ") or "attachment"
    return stem[: NAME_MAX - len(extension) - 1] + "." + extension


def licence_by_number(db: Session, number: str) -> Licence:
    licence = db.scalars(select(Licence).where(Licence.number == number)).first()
    if licence is None:
        raise NotFound(f"licence {shown(number)} does not exist")
    return licence


def listing(licence: Licence) -> Select[LicenceAttachment]:
    """The licence's attachments, in the order they were attached (their bytes are not loaded)."""
    return select(LicenceAttachment).where(LicenceAttachment.licence_id == licence.id).order_by(LicenceAttachment.id)


def attachments(db: Session, number: str) -> list[LicenceAttachment]:
    return list(db.scalars(listing(licence_by_number(db, number))).all())


def attach(db: Session, actor: Actor, number: str, file_name: str | None, stream: Readable) -> LicenceAttachment:
    """Keep a file with the licence (officer): its kind recognised from its bytes, its size limited while it is
    read, its name made safe; recorded in the ledger (`licence.attach`) in the same transaction."""
    actor.require(Role.OFFICER)
    licence = licence_by_number(db, number)
    content = read_limited(stream)
    if not content:
        raise Invalid(f"{FIELD}: the file is empty")
    kind = kind_of(content)
    if kind is None:
        raise Invalid(f"{FIELD}: not a {ACCEPTED} file (recognised by its content, whatever its name or type says)")
    name = safe_name(file_name, kind)
    digest = hashlib.sha256(content).hexdigest()
    attachment = LicenceAttachment(
        licence_id=licence.id,
        file_name=name,
        content_type=kind.content_type,
        size=len(content),
        sha256=digest,
        content=content,
        uploaded_by=actor.name,
    )
    db.add(attachment)
    db.flush()
    ledger.append(db, actor.name, "licence.attach", f"licence:{number}", _described(attachment))
    return attachment


def attachment_of(db: Session, number: str, attachment_id: int, content: bool = False) -> LicenceAttachment:
    """The attachment with this id of this licence: NotFound if the licence has none such (an id of another
    licence's attachment is not found under this one)."""
    licence = licence_by_number(db, number)
    statement = select(LicenceAttachment).where(
        LicenceAttachment.id == attachment_id, LicenceAttachment.licence_id == licence.id
    )
    found = db.scalars(statement.options(undefer(LicenceAttachment.content)) if content else statement).first()
    if found is None:
        raise NotFound(f"licence {shown(number)} has no attachment {attachment_id}")
    return found


def read(db: Session, number: str, attachment_id: int) -> LicenceAttachment:
    """The attachment with its bytes, to download."""
    return attachment_of(db, number, attachment_id, content=True)


def remove(db: Session, actor: Actor, number: str, attachment_id: int) -> LicenceAttachment:
    """Remove an attachment (officer); the ledger (`licence.detach`) keeps its name, size, type and SHA-256."""
    actor.require(Role.OFFICER)
    attachment = attachment_of(db, number, attachment_id)
    described = _described(attachment)
    db.delete(attachment)
    db.flush()
    ledger.append(db, actor.name, "licence.detach", f"licence:{number}", described)
    return attachment


def _described(attachment: LicenceAttachment) -> dict[str, object]:
    return {
        "attachment": attachment.id,
        "file_name": attachment.file_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }
