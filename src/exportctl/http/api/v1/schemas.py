"""The API's answers, typed: the OpenAPI document describes every response from these models.

The endpoints build their answers with `records_json.py` (stored records), `determination_json.py`
(determinations) and `regime_json.py` (regime pages) — the same dicts the CLI prints with `--format json` — and
FastAPI validates each against its model here. The keys are a contract: a model forbids keys it does not
declare, so a key added to a dict without its declaration here fails the tests (tests/http/test_openapi.py) instead
of reaching clients unannounced. Times the views already write as text stay text (`Timestamp`), so the answer is
byte for byte what it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from exportctl.core_types import LineKind, Outcome
from exportctl.regime.diff import ChangeKind
from exportctl.regime.schema import Scalar
from exportctl.services.actors import Role

T = TypeVar("T")
Timestamp = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


def _none(value: object) -> bool:
    return value is None


def _empty(value: object) -> bool:
    return not value


class Answer(BaseModel):
    """A response body: exactly the keys declared."""

    model_config = ConfigDict(extra="forbid")


class Page(Answer, Generic[T]):
    """One page of a list: `limit` items from `offset`, of `total`."""

    items: list[T]
    total: int
    limit: int
    offset: int


# --- citations and determinations (determination_json.py) ----------------------------------------------------


class Source(Answer):
    """The legal source of a rule or fact; article and dates only where the pack gives them."""

    id: str
    instrument: str
    article: str | None = Field(default=None, exclude_if=_none)
    promulgated: dt.date | None = Field(default=None, exclude_if=_none)
    in_force: dt.date | None = Field(default=None, exclude_if=_none)
    url: str
    verified: bool


class Reason(Answer):
    rule: str
    text: str = Field(description="The reason in the answer's language (Content-Language); stored: English")
    source: Source | None
    text_ja: str | None = Field(
        default=None,
        exclude_if=_none,
        description="The reason in Japanese, as the engine wrote it (absent where it has none, and in determinations"
        " stored before it wrote Japanese)",
    )


class Comparison(Answer):
    param: str
    op: str
    required: Scalar | list[Scalar]
    actual: Scalar | None
    holds: bool | None


class EntryMatch(Answer):
    entry: str
    clause: str | None
    via: str = Field(description="How the line reached the entry: entry, control-number, specification, …")
    control_numbers: list[str] = Field(description="The international control numbers of the entry or clause")
    comparisons: list[Comparison] = Field(default_factory=list, exclude_if=_empty)
    goods: list[str] = Field(
        default_factory=list,
        exclude_if=_empty,
        description="Technology: the goods entries it is technology of",
    )


class ExceptionCheck(Answer):
    exception: str
    applied: bool
    why: str
    source: Source | None


class LineDetermination(Answer):
    index: int
    kind: LineKind
    item: str
    entries: list[str]
    matches: list[EntryMatch]
    control_numbers: list[str]
    outcome: Outcome
    eligible_licences: list[str]
    licence_conditions: dict[str, str]
    reasons_for_control: list[str] = Field(description="The reasons requiring the licence (the EAR: NS2, AT1 …)")
    review_policy: str | None = Field(description="How an application is reviewed, where the law says")
    exceptions: list[ExceptionCheck]
    missing: list[str]
    reasons: list[Reason]


class ScreeningHit(Answer):
    """A listed entity a name matched, with the score and why."""

    list_id: str = Field(alias="list")
    list_version: str
    entity_id: str
    name: str
    matched_name: str
    score: float
    countries: list[str]
    concerns: list[str]
    programs: list[str]
    licence_requirement: str
    review_policy: str
    explanation: dict[str, Any]


class Determination(Answer):
    regime: str
    pack_version: str
    date: dt.date
    destination: str
    destination_group: str
    outcome: Outcome
    licence_required: bool
    eligible_licences: list[str]
    missing: list[str]
    missing_labels: dict[str, str] | None = Field(
        default=None,
        exclude_if=_none,
        description="One-shot checks naming missing facts: each one's label in the answer's language, by its name in"
        " `missing`",
    )
    end_user_hits: list[ScreeningHit]
    consignee_hits: list[ScreeningHit]
    blocked_by: list[str]
    lines: list[LineDetermination]
    reasons: list[Reason]


class SeveralDeterminations(Answer):
    """One transaction under several regimes."""

    determinations: list[Determination]
    outcome: Outcome = Field(description="The most restrictive outcome of the regimes")
    licence_required: bool = Field(description="Whether any regime requires a licence")


# --- screening ------------------------------------------------------------------------------------------------


class Screening(Answer):
    query: str
    hits: list[ScreeningHit]
    lists: dict[str, str] = Field(description="The version of each list screened against")


class LoadedList(Answer):
    list_id: str = Field(alias="list")
    version: str
    published: dt.date | None
    entities: int


class LoadedLists(Answer):
    lists: list[LoadedList]


# --- the regime on a date -------------------------------------------------------------------------------------


class Validity(Answer):
    start: dt.date | None = Field(alias="from")
    end: dt.date | None = Field(alias="to")


class Fact(Answer):
    key: str
    text: str
    source: Source | None


class RegimeOnDate(Answer):
    regime: str
    date: dt.date
    pack_version: str
    valid: Validity
    tables: dict[str, list[str]]
    facts: list[Fact]


class Title(Answer):
    en: str
    ja: str


class VerifiedPeriod(Answer):
    start: dt.date = Field(alias="from")
    end: dt.date | None = Field(alias="to")
    text: str


class EntrySummary(Answer):
    id: str
    kind: LineKind
    row: str
    title: Title
    control_numbers: list[str]
    criteria: int
    clauses: int
    complete: bool
    goods_entries: list[str]
    purposes: list[str]
    verified: list[VerifiedPeriod]
    source: Source | None


class Entries(Answer):
    regime: str
    pack_version: str
    entries: list[EntrySummary]
    unencoded: list[str]


class FactChange(Answer):
    change: ChangeKind
    key: str
    text: str
    before: str | None
    after: str | None
    source: Source | None


class RegimeDiff(Answer):
    regime: str
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    change_dates: list[dt.date]
    changes: list[FactChange]


# --- stored records (records_json.py) --------------------------------------------------------------------------------

OrderStatus = Literal["new", "released", "blocked", "shipped"]


class OrderSummary(Answer):
    number: str
    regime: str
    ship_date: dt.date
    origin: str | None = Field(description="Where the export leaves from (EU: the member state of export)")
    destination: str
    consignee: str | None
    end_user: str | None
    status: OrderStatus
    shipped_on: dt.date | None
    outcome: Outcome | None
    blocking_reasons: list[str] = Field(description="Reasons of another regime are named by it: us:licence-needed")
    also_under: list[str] = Field(description="The other regimes the order is decided under")


class OrderLine(Answer):
    line: int
    item: str | None
    reference: str
    classified_as: str | None
    kind: LineKind
    quantity: float | None
    value_jpy: int | None
    value_eur: int | None
    value_usd: int | None
    us_content_pct: float | None
    us_direct_product: bool | None
    entries: list[str]
    outcome: Outcome | None
    eligible_licences: list[str]
    licence: str | None
    reasons: list[Reason]
    shipped_quantity: float = Field(description="Shipped so far: in partial shipments, or all once the order shipped")
    remaining_quantity: float | None = Field(description="Left to ship (none for a line without a quantity)")


class Approval(Answer):
    """An officer's release of the order (one of two when four eyes are needed)."""

    officer: str
    reason: str
    blocking_reasons: list[str]
    at: dt.datetime


class Order(OrderSummary):
    release_state: str
    end_use: str | None
    wmd_end_use: bool | None
    conventional_end_use: bool | None
    repression_end_use: bool | None
    destination_region: str | None
    informed: bool
    clearly_not: bool
    pack_version: str | None
    destination_group: str | None
    missing: list[str]
    lines: list[OrderLine]
    reasons: list[Reason]
    screening_hits: list[ScreeningHit]
    releases: list[Approval]
    other_determinations: dict[str, Determination] = Field(description="By regime: its determination")
    other_licences: dict[str, dict[str, str]] = Field(description="By regime: line number → licence of its book")


class PartShipment(Order):
    """The order after a partial shipment; `repeated`: the request's key had shipped already, nothing was done."""

    repeated: bool


class Release(Order):
    """The order after an officer's release, and how many approvals it has of those it needs."""

    approvals: int
    approvals_needed: int


class Licence(Answer):
    number: str
    state: Literal["active", "expired", "exhausted"]
    regime: str
    type: str
    holder: str
    destinations: list[str]
    consignees: list[str]
    end_users: list[str]
    entries: list[str]
    items: list[str]
    quantity_limit: float | None
    quantity_used: float
    value_limit_jpy: int | None
    value_used_jpy: int
    valid_from: dt.date
    valid_to: dt.date


class Attachment(Answer):
    """A file kept with a licence (services/licence_files.py); `download` is its URL."""

    id: int
    file_name: str
    content_type: Literal["application/pdf", "image/png", "image/jpeg", "image/tiff"]
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: Timestamp
    download: str


class LicenceWarning(Answer):
    number: str
    kind: str = Field(description="expiry, exhaustion (90 % used) or exhausted (a limit fully used)")
    text: str


class LicenceWarnings(Answer):
    """A page of warnings: the list is named `warnings` in this answer, where other lists say `items`."""

    warnings: list[LicenceWarning]
    total: int
    limit: int
    offset: int


class ItemSummary(Answer):
    code: str
    description: str
    hs_code: str | None
    classification: str | None = Field(description="The latest classification's reference")


class Classification(Answer):
    regime: str
    reference: str
    entries: list[str]
    rationale: str
    valid_from: dt.date
    classified_by: str
    classified_at: Timestamp


class Item(ItemSummary):
    classifications: list[Classification]


class PartyHit(Answer):
    """A screening hit kept on a party, with its review."""

    id: int
    list_id: str = Field(alias="list")
    list_version: str
    entity_id: str
    entity_name: str
    matched_name: str
    score: float
    status: Literal["open", "confirmed", "false-positive"]
    reviewed_by: str | None
    review_reason: str | None


class PartySummary(Answer):
    code: str
    name: str
    country: str | None
    address: str | None = Field(description="The postal address (several lines; not used by screening)")
    roles: list[str]
    screening_status: Literal["clear", "hits", "unscreened"]
    screened_at: Timestamp | None
    open_hits: int


class Party(PartySummary):
    list_versions: dict[str, str]
    hits: list[PartyHit]


# --- the audit trail ------------------------------------------------------------------------------------------


class HeadCheck(Answer):
    records: int
    failed: str | None = Field(description="What failed (chain, head, rows), or null")


class Verification(Answer):
    ok: bool
    checked: int
    first_bad: int | None
    problem: str
    head: HeadCheck | None = Field(default=None, exclude_if=_none, description="Only when a head was given")


class AuditRecord(Answer):
    id: int
    at: Timestamp
    actor: str
    action: str
    subject: str
    payload: dict[str, Any]
    pack_version: str | None
    list_versions: dict[str, Any]
    hash: str
    prev_hash: str


# --- the session ----------------------------------------------------------------------------------------------


class Me(Answer):
    user: str
    role: Role


class LoggedIn(Me):
    csrf_token: str = Field(description="Send it as X-CSRF-Token (or form field csrf_token) with every write")
