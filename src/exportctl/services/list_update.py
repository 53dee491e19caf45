"""`lists update`: fetch the official lists from their publishers and keep each new version (issue 15).

Each list is downloaded with httpx, streamed to a temporary folder inside the data dir (never held in memory:
OpenSanctions exports run to gigabytes), with a conditional request: the ETag and Last-Modified of the last good
download of each URL are kept in `<data dir>/lists/fetch.json` and sent back as If-None-Match / If-Modified-Since,
so a 304 costs nothing. A download counts only when it is complete (Content-Length matched; httpx raises on a
connection cut short), and when it parses with the list's own reader into at least one entry; its sha256 is then
compared with the latest stored version. A new version is saved with `ListStore.save`, exactly as `lists load`
saves one. Any failure keeps the last good version: the temporary folder is removed, and fetch.json changes only
for lists whose download was good.

Nothing here prints or exits: the CLI (`exportctl lists update`) and the server's scheduler (`serve
--update-lists-hours`) report the outcomes their own way. `rescreen` is the part of the delta re-screening both
`lists load` and `lists update` (and the scheduler) share.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from exportctl.screening.entities import LoadedList
from exportctl.screening.screener import Screener
from exportctl.screening.sources import registry
from exportctl.services import recheck
from exportctl.services.actors import Actor
from exportctl.services.lists import ListStore, StoredVersion, data_dir, load_file
from exportctl.store import db as database

URLS_ENV = "EXPORTCTL_LIST_URLS"
ECFR_TITLES = "https://www.ecfr.gov/api/versioner/v1/titles.json"

# The publishers' official files, per list id. Where each is documented:
# - us-sdn: OFAC Sanctions List Service exports, legacy CSV: SDN.CSV with ADD.CSV and ALT.CSV beside it
#   (https://ofac.treasury.gov/sanctions-list-service; the export URL pattern
#   .../api/PublicationPreview/exports/<FILE> is the one moov-io/watchman reads, issue #550 "Update OFAC / SDN /
#   US CSL lists to new SLS service"). `--url us-sdn=URL` names the SDN file; ADD and ALT are its siblings.
# - un: the UN Security Council Consolidated List, English XML edition, regenerated nightly
#   (https://main.un.org/securitycouncil/content/un-sc-consolidated-list; the XML URL as cited in
#   opensanctions/crawler-planning issue #581).
# - us-csl: trade.gov's downloadable Consolidated Screening List, CSV, rebuilt hourly
#   (https://www.trade.gov/consolidated-screening-list; the static file URLs are listed in
#   InternationalTradeAdministration/developerportal issue #138).
# - us-el: 15 CFR part 744 (Supplement No. 4 is the Entity List) from the eCFR versioner API
#   (https://www.ecfr.gov/reader-aids/ecfr-developer-resources: GET /api/versioner/v1/full/{date}/title-{n}.xml
#   with ?part=). `{date}` is the title's `up_to_date_as_of` from /api/versioner/v1/titles.json: eCFR lags the
#   Federal Register by a day or two, and asking for a later date than it has is a 404.
# - ftm: the OpenSanctions `sanctions` collection as FollowTheMoney entities
#   (https://www.opensanctions.org/docs/bulk/updates: https://data.opensanctions.org/datasets/latest/<dataset>/
#   <format>). Free for non-commercial use only, and hundreds of MB: fetched only when asked for (`--lists ftm`).
# No default: METI's End User List and MOF's asset-freeze list (each edition's spreadsheet is named anew), eu-fsf
# (the Commission's download needs a token in its URL), us-dpl (BIS retired https://www.bis.doc.gov/dpl/dpl.txt in
# its move to bis.gov, which publishes the Denied Persons List as a spreadsheet; the DPL is also in the us-csl file).
# Any of them can be configured with `--url ID=URL` or EXPORTCTL_LIST_URLS.
OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"
DEFAULT_URLS: dict[str, str] = {
    "us-sdn": f"{OFAC_EXPORTS}/SDN.CSV",
    "un": "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    "us-csl": "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
    "us-el": "https://www.ecfr.gov/api/versioner/v1/full/{date}/title-15.xml?part=744",
    "ftm": "https://data.opensanctions.org/datasets/latest/sanctions/entities.ftm.json",
}
ASKED_ONLY = frozenset({"ftm"})  # a default URL, but not part of a bare `lists update`

OFAC_SIBLINGS = ("add", "alt")
CHUNK = 1 << 16

Status = Literal["stored", "unchanged", "not-modified", "failed"]


class UpdateError(Exception):
    """Why a list's download was not good; the message names the URL."""


class ConfigError(ValueError):
    """A list asked for that is unknown or has no URL, or a badly written ID=URL."""


@dataclass
class Outcome:
    list_id: str
    status: Status
    detail: str = ""  # the reason of a failure
    stored: StoredVersion | None = None  # the version saved, or the latest one kept
    update: tuple[LoadedList, LoadedList] | None = None  # (previous, new): parties to re-screen


@dataclass
class _Download:
    path: Path
    url: str
    validators: dict[str, str] = field(default_factory=dict)  # etag / last_modified
    modified: dt.date | None = None


# --- configuration ---------------------------------------------------------------------------------------------


def parse_urls(items: Iterable[str]) -> dict[str, str]:
    """'id=url' items (each may hold several, comma-separated, as EXPORTCTL_LIST_URLS does) → {id: url}."""
    found: dict[str, str] = {}
    for item in items:
        for part in (p.strip() for p in item.split(",")):
            if not part:
                continue
            list_id, sep, url = part.partition("=")
            list_id, url = list_id.strip(), url.strip()
            if not sep or not list_id or not url:
                raise ConfigError(f"'{part}': write ID=URL (e.g. us-csl=https://…)")
            _known(list_id)
            if not url.startswith(("http://", "https://")):
                raise ConfigError(f"{list_id}: '{url}' is not an http(s) URL")
            found[list_id] = url
    return found


def configured_urls(given: Iterable[str] = ()) -> dict[str, str]:
    """The URL of every list that has one: the defaults, then EXPORTCTL_LIST_URLS, then --url (later wins)."""
    return {**DEFAULT_URLS, **_explicit(given)}


def _explicit(given: Iterable[str]) -> dict[str, str]:
    return {**parse_urls([os.environ.get(URLS_ENV, "")]), **parse_urls(given)}


def targets(asked: Iterable[str], given: Iterable[str] = ()) -> dict[str, str]:
    """The lists to update and their URLs: those asked for (each must have a URL), or by default every list with
    one — but the opt-in ones (ASKED_ONLY) only when a URL was configured for them (--url or the environment)."""
    given = list(given)
    urls = configured_urls(given)
    names = [n.strip() for item in asked for n in item.split(",") if n.strip()]
    if not names:
        chosen = _explicit(given)
        return {k: v for k, v in urls.items() if k not in ASKED_ONLY or k in chosen}
    for name in names:
        _known(name)
    missing = [name for name in names if name not in urls]
    if missing:
        raise ConfigError(
            f"no URL configured for {', '.join(missing)}: give --url ID=URL or set {URLS_ENV}=ID=URL,ID=URL"
        )
    return {name: urls[name] for name in dict.fromkeys(names)}


def _known(list_id: str) -> None:
    if list_id not in registry.READERS:
        raise ConfigError(f"unknown list '{list_id}' (known: {', '.join(registry.READERS)})")


# --- fetch state -----------------------------------------------------------------------------------------------


def _state_path() -> Path:
    return data_dir() / "lists" / "fetch.json"


def read_state() -> dict[str, dict[str, dict[str, str]]]:
    """list id → URL → the validators (etag, last_modified) of its last good download."""
    path = _state_path()
    if not path.exists():
        return {}
    try:
        state: dict[str, dict[str, dict[str, str]]] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged state only costs a full download
    return state


def _write_state(list_id: str, downloads: list[_Download]) -> None:
    state = read_state()
    state[list_id] = {d.url: d.validators for d in downloads}
    path = _state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8")
    temporary.replace(path)  # atomic: a reader never sees half the state


# --- downloading -----------------------------------------------------------------------------------------------


def _headers(validators: Mapping[str, str] | None) -> dict[str, str]:
    if not validators:
        return {}
    headers = {}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    return headers


def _modified(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError):
        return None


def _get(client: httpx.Client, url: str, target: Path, validators: Mapping[str, str] | None) -> _Download | None:
    """Stream one URL into `target`; None when the server says it is not modified (304)."""
    with client.stream("GET", url, headers=_headers(validators)) as response:
        if response.status_code == 304:
            return None
        if response.status_code != 200:
            raise UpdateError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
        written = 0
        with target.open("wb") as handle:
            for chunk in response.iter_bytes(CHUNK):  # decoded: a server may gzip the transfer
                handle.write(chunk)
                written += len(chunk)
        # Content-Length counts the bytes on the wire (before decoding). httpx raises on a connection closed
        # early; this is the check that does not depend on it.
        expected, received = response.headers.get("Content-Length"), response.num_bytes_downloaded
        if expected is not None and expected.isdigit() and int(expected) != received:
            raise UpdateError(f"{url}: incomplete download ({received} of {expected} bytes)")
        if written == 0:
            raise UpdateError(f"{url}: empty file")
        found = {"etag": response.headers.get("ETag", ""), "last_modified": response.headers.get("Last-Modified", "")}
        return _Download(target, url, {k: v for k, v in found.items() if v}, _modified(found["last_modified"]))


def _sibling_url(sdn_url: str, kind: str) -> str:
    """OFAC's ADD.CSV / ALT.CSV beside SDN.CSV (same case), as `ofac.read` finds add/alt beside sdn on disk."""
    head, _, tail = sdn_url.partition("?")
    folder, _, name = head.rpartition("/")

    def swap(match: re.Match[str]) -> str:
        return kind.upper() if match.group(0).isupper() else kind

    new_name = re.sub(r"sdn", swap, name, count=1, flags=re.IGNORECASE)
    if new_name == name:
        raise ConfigError(f"us-sdn: '{sdn_url}' does not name an sdn file, so its add and alt files cannot be found")
    return f"{folder}/{new_name}" + (f"?{tail}" if tail else "")


def _ecfr_date(client: httpx.Client, title: int) -> str:
    """The latest date the eCFR has the title for (asking for a later one is a 404)."""
    response = client.get(ECFR_TITLES)
    if response.status_code != 200:
        raise UpdateError(f"{ECFR_TITLES}: HTTP {response.status_code}")
    try:
        titles: list[dict[str, Any]] = response.json()["titles"]
        return str(next(t["up_to_date_as_of"] for t in titles if t.get("number") == title))
    except (ValueError, KeyError, StopIteration, TypeError) as exc:
        raise UpdateError(f"{ECFR_TITLES}: no up_to_date_as_of for title {title} ({exc})") from exc


def _files(list_id: str, url: str, client: httpx.Client) -> list[tuple[str, str]]:
    """(URL, file name) of each file the list is read from; the first is the one given to the reader."""
    date_part = ""
    if "{date}" in url:  # the eCFR: a dated URL
        date_part = _ecfr_date(client, 15)
        url = url.replace("{date}", date_part)
    if list_id == "us-sdn":
        return [(url, "us-ofac-sdn.csv")] + [(_sibling_url(url, k), f"us-ofac-{k}.csv") for k in OFAC_SIBLINGS]
    return [(url, registry.FILE_NAMES[list_id].replace("{date}", date_part or "{date}"))]


def _named(path: Path, modified: dt.date | None) -> Path:
    """Put the publication date (Last-Modified) in the file name, where the readers look for it."""
    if "{date}" not in path.name:
        return path
    name = path.name.replace("-{date}", f"-{modified.isoformat()}" if modified else "")
    return path.rename(path.with_name(name))


def _download_all(
    list_id: str, url: str, client: httpx.Client, folder: Path, state: Mapping[str, Mapping[str, str]]
) -> list[_Download] | None:
    """Every file of the list in `folder`; None when none changed (all 304). A list read from several files
    (OFAC) needs them all: when one changed, the ones not modified are fetched again in full."""
    files = _files(list_id, url, client)
    got = {u: _get(client, u, folder / name, state.get(u)) for u, name in files}
    if all(d is None for d in got.values()):
        return None
    downloads = [got[u] or _get(client, u, folder / name, None) for u, name in files]
    complete = [d for d in downloads if d is not None]
    if len(complete) != len(files):  # a 304 to an unconditional request: not a server to trust
        raise UpdateError(f"{url}: answered 304 Not Modified to a request without validators")
    complete[0].path = _named(complete[0].path, complete[0].modified)
    return complete


# --- one list --------------------------------------------------------------------------------------------------


def _latest(store: ListStore, list_id: str) -> StoredVersion | None:
    try:
        return store.find(list_id)
    except LookupError:
        return None


def _read(list_id: str, download: _Download) -> LoadedList:
    try:
        loaded = load_file(list_id, download.path)
    except Exception as exc:  # any reader's error (ListFileError, a spreadsheet or XML library's) is a bad file
        reason = str(exc).replace(str(download.path), download.url)
        if download.url not in reason:
            reason = f"{download.url}: {reason}"
        raise UpdateError(f"not a {list_id} file: {reason}") from exc
    if not loaded.entities:
        raise UpdateError(f"{download.url}: not a {list_id} file (no entries read)")
    return dataclasses.replace(loaded, source=download.url)  # the temporary path is gone when this is read


def update_list(
    list_id: str, url: str, client: httpx.Client, now: dt.datetime, store: ListStore | None = None
) -> Outcome:
    """Fetch one list and keep its new version; every failure is an Outcome, never an exception."""
    store = store or ListStore()
    previous = _latest(store, list_id)
    (data_dir() / "lists").mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".fetch-{list_id}-", dir=data_dir() / "lists"))
    try:
        downloads = _download_all(list_id, url, client, folder, read_state().get(list_id, {}))
        if downloads is None:
            return Outcome(list_id, "not-modified", stored=previous)
        loaded = _read(list_id, downloads[0])
        if previous is not None and loaded.sha256 == previous.sha256:
            _write_state(list_id, downloads)  # a good download: its validators save the next one
            return Outcome(list_id, "unchanged", stored=previous)
        before = [v for v in store.versions() if v.list_id == list_id and v.version != loaded.version]
        stored = store.save(loaded, now)
        _write_state(list_id, downloads)
        update = (store.read(before[-1]), loaded) if before else None
        return Outcome(list_id, "stored", stored=stored, update=update)
    except httpx.TimeoutException as exc:
        return Outcome(list_id, "failed", _timeout(exc, url), stored=previous)
    except httpx.HTTPError as exc:  # refused, cut short (RemoteProtocolError), bad TLS …
        where = str(exc.request.url) if _has_request(exc) else url
        return Outcome(list_id, "failed", f"{where}: {type(exc).__name__}: {exc}", stored=previous)
    except (UpdateError, ConfigError, OSError) as exc:
        return Outcome(list_id, "failed", str(exc), stored=previous)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _has_request(exc: httpx.HTTPError) -> bool:
    try:
        exc.request  # noqa: B018 - raises RuntimeError when httpx did not attach one
    except RuntimeError:
        return False
    return True


def _timeout(exc: httpx.TimeoutException, url: str) -> str:
    where = str(exc.request.url) if _has_request(exc) else url
    return f"{where}: timed out ({type(exc).__name__})"


def update_lists(
    chosen: Mapping[str, str], timeout: float, progress: Callable[[Outcome], None] | None = None
) -> list[Outcome]:
    """Fetch each list in turn; one list's failure does not stop the others."""
    now = dt.datetime.now(dt.UTC)
    outcomes = []
    store = ListStore()
    headers = {"User-Agent": "exportctl lists update"}
    with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True, headers=headers) as client:
        for list_id, url in chosen.items():
            outcome = update_list(list_id, url, client, now, store)
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
    return outcomes


# --- re-screening ----------------------------------------------------------------------------------------------


def database_exists() -> bool:
    """False for a SQLite database not created yet: there are no parties to re-screen (and none is created)."""
    url = make_url(database.database_url())
    return not (url.get_backend_name() == "sqlite" and (not url.database or not Path(url.database).exists()))


def rescreen(
    db: Session, actor: Actor, updates: list[tuple[LoadedList, LoadedList]], full: Screener
) -> list[recheck.DeltaResult]:
    """New versions of lists already loaded: re-screen the parties their added or changed entries affect."""
    return [recheck.delta_screen(db, actor, before, after, full) for before, after in updates]
