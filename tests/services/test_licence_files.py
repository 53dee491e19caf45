"""Licence attachments (issue 16), on SQLite and PostgreSQL: a file is kept with its licence in one transaction with
its ledger record, recognised by its bytes (PDF, PNG, JPEG, TIFF only), refused while it is read once it passes
10 MiB, stored under a safe name; officers attach and remove, the ledger names each file's SHA-256.

The magic numbers come from the formats' specifications: PDF files start with `%PDF-` (ISO 32000-2 § 7.5.2), PNG
with the eight bytes 89 50 4E 47 0D 0A 1A 0A (PNG § 5.2), JPEG with the SOI marker FF D8 followed by a marker FF
(ITU T.81 B.1.1.3), TIFF with `II*\\0` or `MM\\0*` (TIFF 6.0 § 2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from exportctl.services import audit, audit_trail, licence_files, orders
from exportctl.services.actors import Actor, Role
from exportctl.services.errors import Invalid, NotFound, PermissionDenied, TooLarge
from exportctl.store import db as store
from exportctl.store.models import LicenceAttachment

OFFICER = Actor("otto", Role.OFFICER)
CLERK = Actor("carl", Role.CLERK)
VIEWER = Actor("vera", Role.VIEWER)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
TIFF_INTEL = b"II*\x00\x08\x00\x00\x00" + bytes(16)
TIFF_MOTOROLA = b"MM\x00*\x00\x00\x00\x08" + bytes(16)
MIB = 1024 * 1024


def _licence(number: str) -> dict[str, object]:
    return {
        "regime": "jp",
        "type": "individual",
        "number": number,
        "holder": "Example Materials K.K.",
        "destinations": ["KR"],
        "valid_from": dt.date(2019, 8, 8),
        "valid_to": dt.date(2020, 2, 7),
    }


@pytest.fixture
def url(database_url: str) -> Iterator[str]:
    with store.session(database_url) as db:
        orders.add_licence(db, OFFICER, **_licence("IND-A"))
        orders.add_licence(db, OFFICER, **_licence("IND-B"))
    yield database_url


class Endless:
    """A stream of zero bytes without end, counting what was read from it."""

    def __init__(self, head: bytes) -> None:
        self.head, self.read_bytes = head, 0

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "read the whole stream at once"
        chunk = (self.head + bytes(size))[:size] if self.read_bytes == 0 else bytes(size)
        self.read_bytes += len(chunk)
        return chunk


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (TIFF_INTEL, "image/tiff"),
        (TIFF_MOTOROLA, "image/tiff"),
    ],
)
def test_each_accepted_format_is_recognised_by_its_bytes(content: bytes, kind: str) -> None:
    found = licence_files.kind_of(content)
    assert found is not None and found.content_type == kind


def test_an_attachment_is_stored_with_its_ledger_record_and_read_back(url: str) -> None:
    with store.session(url) as db:
        attached = licence_files.attach(db, OFFICER, "IND-A", "許可証 IND-A.pdf", io.BytesIO(PDF))
        attachment_id = attached.id
    with store.session(url) as db:
        [listed] = licence_files.attachments(db, "IND-A")
        assert (listed.file_name, listed.content_type, listed.size) == ("許可証 IND-A.pdf", "application/pdf", len(PDF))
        assert listed.sha256 == hashlib.sha256(PDF).hexdigest()
        assert listed.uploaded_by == "otto"
        assert licence_files.read(db, "IND-A", attachment_id).content == PDF
        assert licence_files.attachments(db, "IND-B") == []
        trail = audit_trail.trail(db, "licence", "IND-A", limit=10, offset=0)
        record = trail.records[0]
        assert (record.action, record.actor, record.state) == ("licence.attach", "otto", audit_trail.VERIFIED)
        assert record.payload["sha256"] == hashlib.sha256(PDF).hexdigest()
        assert record.payload["file_name"] == "許可証 IND-A.pdf"

    with store.session(url) as db:
        licence_files.remove(db, OFFICER, "IND-A", attachment_id)
    with store.session(url) as db:
        assert licence_files.attachments(db, "IND-A") == []
        record = audit_trail.trail(db, "licence", "IND-A", limit=10, offset=0).records[0]
        assert record.action == "licence.detach"
        assert record.payload["sha256"] == hashlib.sha256(PDF).hexdigest()
        assert audit.verify(db).ok


def test_a_file_that_is_not_an_accepted_format_is_refused_whatever_its_name(url: str) -> None:
    html = b"<html><script>alert(document.cookie)</script></html>"
    for content in (html, b"GIF89a" + bytes(10), b"PK\x03\x04" + bytes(10), b" %PDF-1.7"):
        with pytest.raises(Invalid, match=r"^file: not a PDF, PNG, JPEG or TIFF file"), store.session(url) as db:
            licence_files.attach(db, OFFICER, "IND-A", "licence.pdf", io.BytesIO(content))
    with pytest.raises(Invalid, match=r"^file: the file is empty"), store.session(url) as db:
        licence_files.attach(db, OFFICER, "IND-A", "licence.pdf", io.BytesIO(b""))
    with store.session(url) as db:
        assert db.scalar(select(func.count()).select_from(LicenceAttachment)) == 0


def test_an_oversize_file_is_refused_while_it_is_read(url: str) -> None:
    endless = Endless(PDF)
    with pytest.raises(TooLarge, match=r"^file: larger than 10 MiB"), store.session(url) as db:
        licence_files.attach(db, OFFICER, "IND-A", "big.pdf", endless)
    # Stopped within one chunk past the limit: an endless upload is not read to its end.
    assert 10 * MIB < endless.read_bytes <= 10 * MIB + licence_files.CHUNK
    # Exactly at the limit is accepted.
    at_limit = PDF + bytes(10 * MIB - len(PDF))
    with store.session(url) as db:
        assert licence_files.attach(db, OFFICER, "IND-A", "big.pdf", io.BytesIO(at_limit)).size == 10 * MIB
    with store.session(url) as db:
        assert len(licence_files.read(db, "IND-A", licence_files.attachments(db, "IND-A")[0].id).content) == 10 * MIB


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("/var/lib/exportctl/secret.pdf", "secret.pdf"),
        ("evil\r\nSet-Cookie: x=1.pdf", "evilSet-Cookie_ x=1.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),  # the right-to-left override goes
        ("許可証（経済産業省）.pdf", "許可証（経済産業省）.pdf"),
        (".htaccess", "htaccess.pdf"),
        ("", "attachment.pdf"),
        ('a"b<c>.pdf', "a_b_c_.pdf"),
        ("scan.png", "scan.png.pdf"),  # the extension follows the bytes
    ],
)
def test_the_stored_name_has_no_folders_nor_control_characters(url: str, sent: str, kept: str) -> None:
    with store.session(url) as db:
        assert licence_files.attach(db, OFFICER, "IND-A", sent, io.BytesIO(PDF)).file_name == kept


def test_a_long_name_is_cut_keeping_its_extension(url: str) -> None:
    with store.session(url) as db:
        name = licence_files.attach(db, OFFICER, "IND-A", "許" * 400 + ".pdf", io.BytesIO(PDF)).file_name
    assert len(name) == licence_files.NAME_MAX and name.endswith("許.pdf")


def test_only_officers_attach_and_remove(url: str) -> None:
    for actor in (VIEWER, CLERK):
        with pytest.raises(PermissionDenied), store.session(url) as db:
            licence_files.attach(db, actor, "IND-A", "a.pdf", io.BytesIO(PDF))
    with store.session(url) as db:
        attachment_id = licence_files.attach(db, OFFICER, "IND-A", "a.pdf", io.BytesIO(PDF)).id
    with pytest.raises(PermissionDenied), store.session(url) as db:
        licence_files.remove(db, CLERK, "IND-A", attachment_id)
    with store.session(url) as db:
        assert len(licence_files.attachments(db, "IND-A")) == 1


def test_an_attachment_is_found_only_under_its_own_licence(url: str) -> None:
    with store.session(url) as db:
        attachment_id = licence_files.attach(db, OFFICER, "IND-A", "a.pdf", io.BytesIO(PDF)).id
    for call in (
        lambda db: licence_files.read(db, "IND-B", attachment_id),
        lambda db: licence_files.remove(db, OFFICER, "IND-B", attachment_id),
        lambda db: licence_files.read(db, "IND-A", attachment_id + 1),
        lambda db: licence_files.attach(db, OFFICER, "NO-SUCH", "a.pdf", io.BytesIO(PDF)),
    ):
        with pytest.raises(NotFound), store.session(url) as db:
            call(db)
    with store.session(url) as db:
        assert licence_files.read(db, "IND-A", attachment_id).content == PDF


def test_two_officers_attaching_at_once_both_keep_their_file_and_the_chain_holds(url: str) -> None:
    start, failures = threading.Barrier(2), list[BaseException]()

    def attach(name: str, content: bytes) -> None:
        try:
            start.wait()
            with store.session(url) as db:
                licence_files.attach(db, OFFICER, "IND-A", name, io.BytesIO(content))
        except BaseException as exc:  # reported below: a thread's exception is otherwise lost
            failures.append(exc)

    threads = [threading.Thread(target=attach, args=args) for args in (("a.pdf", PDF), ("b.png", PNG))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    with store.session(url) as db:
        assert sorted(a.file_name for a in licence_files.attachments(db, "IND-A")) == ["a.pdf", "b.png"]
        assert audit.verify(db).ok
