"""`exportctl demo load`: a fictional Japanese materials exporter in 2019, entered through the services.

Example Materials K.K. sells EUV resist, hydrogen fluoride, fluorinated polyimide and phosphazene elastomers,
a machining centre and plain plastic trays to customers in KR, TW, CN, DE and US, with orders shipping
between June and December 2019, so the Korea measures of July and August 2019 decide several of them. All
names are invented, except 'Delta Engineering Concern FZE' (taken from the End User List to show a hit)
and 'Golden Star Trading Co., Ltd.', a Chinese customer whose name resembles a listed Syrian entity (a hit
for an officer to review). Every step goes through the services, so the ledger records it like any other use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportctl.core_types import PartyScreener
from exportctl.order_input import LineInput, OrderInput
from exportctl.screening.screener import Screener
from exportctl.services import auth, orders, records
from exportctl.services.actors import Actor, Role
from exportctl.services.errors import Conflict, RecordError
from exportctl.settings import DEMO_REGIME
from exportctl.store.models import Item, Licence, Order, Party, Setting, User

EXPORTER = "Example Materials K.K."
CLASSIFIED_FROM = dt.date(2019, 1, 1)

USERS = [("alice", "clerk"), ("olga", "officer"), ("oscar", "officer")]
DEMO_PASSWORD = "exportctl-demo"  # printed by `make run`; a demo database only
DEMO_SETTING = "demo-database"  # written by load_demo: this database's demo users have the public password
NOT_A_DEMO_DATABASE = (
    "this database holds records and is not a demo database: the demo data set (users with a public password) "
    "goes only into a new database — point EXPORTCTL_DATABASE_URL or EXPORTCTL_DATA_DIR at a new one"
)

# code, name, country, roles
PARTIES = [
    ("KR-HANBIT", "Hanbit Semiconductor Materials Co., Ltd.", "KR", ["customer", "consignee", "end-user"]),
    ("KR-SEORAE", "Seorae Display Co., Ltd.", "KR", ["customer", "consignee", "end-user"]),
    ("TW-JADE", "Jade Harbor Foundry Corp.", "TW", ["customer", "consignee", "end-user"]),
    ("CN-QINGSHAN", "Suzhou Qingshan Precision Electronics Co., Ltd.", "CN", ["customer", "consignee", "end-user"]),
    ("CN-GOLDSTAR", "Golden Star Trading Co., Ltd.", "CN", ["customer", "consignee"]),
    ("DE-RHEINFELD", "Rheinfeld Werkstoffe GmbH", "DE", ["customer", "consignee", "end-user"]),
    ("US-CASCADE", "Cascade Polymer Systems Inc.", "US", ["customer", "consignee", "end-user"]),
    ("AE-DELTA", "Delta Engineering Concern FZE", "AE", ["end-user"]),
]

# code, description, HS code, classification reference, rationale
ITEMS = [
    ("EMK-R100", "EUV photoresist, 1 L bottle", "3707.90", "7(19)#euv-resist", "Resist for EUV lithography (3C002)"),
    ("EMK-HF50", "Ultra-high-purity hydrogen fluoride, 99.999 %", "2811.11", "3(1)#hydrogen-fluoride",
     "HF above 30 wt% (1C350)"),
    ("EMK-FPI20", "Fluorinated polyimide film, 20 µm", "3920.99", "5(17)#fluorinated-polyimide",
     "Combined fluorine 12 wt% (1C009.b)"),
    ("EMK-PZE7", "Fluorinated phosphazene elastomer seal compound", "4002.99",
     "5(17)#fluorinated-phosphazene-elastomer", "Fluorinated phosphazene elastomer (1C009.c)"),
    ("EMK-MC5", "Five-axis vertical machining centre", "8457.10", "hs:8457.10",
     "Not listed in rows 1-15 (positioning accuracy below 1(1)/2(12)); row 16 catch-all"),
    ("EMK-TRAY", "Polypropylene wafer shipping tray", "3926.90", "hs:3926.90", "Plain plastic article; row 16 only"),
]  # fmt: skip


@dataclass(frozen=True)
class DemoLicence:
    type: str
    number: str
    destinations: list[str]
    consignees: list[str]
    items: list[str]
    quantity_limit: float | None
    value_limit_jpy: int | None
    valid_from: dt.date
    valid_to: dt.date


LICENCES = [
    DemoLicence("general-bulk", "GB-2019-0042", [], [], [], None, None, dt.date(2019, 1, 1), dt.date(2021, 12, 31)),
    DemoLicence("individual", "IND-2019-KR-0815", ["KR"], ["KR-HANBIT"], ["EMK-R100"], 60, 12_000_000,
                dt.date(2019, 8, 8), dt.date(2020, 2, 7)),
    DemoLicence("individual", "IND-2019-KR-0903", ["KR"], ["KR-SEORAE"], ["EMK-FPI20"], 200, 9_000_000,
                dt.date(2019, 9, 3), dt.date(2020, 3, 2)),
    DemoLicence("specific-bulk", "SB-2019-KR-1220", ["KR"], ["KR-HANBIT"], ["EMK-R100"], None, 200_000_000,
                dt.date(2019, 12, 20), dt.date(2022, 12, 19)),
]  # fmt: skip


@dataclass(frozen=True)
class DemoOrder:
    number: str
    ship_date: dt.date
    destination: str
    consignee: str
    end_user: str
    end_use: str | None
    lines: list[tuple[str, float, int]]  # item code, quantity, value in JPY


ORDERS = [
    DemoOrder("SO-2019-0101", dt.date(2019, 6, 20), "KR", "KR-HANBIT", "KR-HANBIT", "EUV lithography line",
              [("EMK-R100", 40, 8_000_000)]),
    DemoOrder("SO-2019-0102", dt.date(2019, 7, 16), "KR", "KR-SEORAE", "KR-SEORAE", "Display panel etching",
              [("EMK-HF50", 500, 6_500_000)]),
    DemoOrder("SO-2019-0103", dt.date(2019, 8, 20), "KR", "KR-HANBIT", "KR-HANBIT", "EUV lithography line",
              [("EMK-R100", 60, 12_000_000)]),
    DemoOrder("SO-2019-0104", dt.date(2019, 9, 10), "KR", "KR-SEORAE", "KR-SEORAE", "Flexible OLED substrates",
              [("EMK-FPI20", 200, 9_000_000)]),
    DemoOrder("SO-2019-0105", dt.date(2019, 9, 24), "KR", "KR-SEORAE", "KR-SEORAE", "Vacuum chamber seals",
              [("EMK-PZE7", 50, 2_500_000), ("EMK-TRAY", 1000, 300_000)]),
    DemoOrder("SO-2019-0106", dt.date(2019, 12, 23), "KR", "KR-HANBIT", "KR-HANBIT", "EUV lithography line",
              [("EMK-R100", 100, 20_000_000)]),
    DemoOrder("SO-2019-0201", dt.date(2019, 7, 10), "TW", "TW-JADE", "TW-JADE", "Foundry lithography",
              [("EMK-R100", 80, 16_000_000)]),
    DemoOrder("SO-2019-0202", dt.date(2019, 10, 8), "TW", "TW-JADE", "TW-JADE", "Wafer handling",
              [("EMK-TRAY", 5000, 1_500_000)]),
    DemoOrder("SO-2019-0301", dt.date(2019, 10, 15), "CN", "CN-QINGSHAN", "CN-QINGSHAN", None,
              [("EMK-MC5", 1, 45_000_000)]),
    DemoOrder("SO-2019-0302", dt.date(2019, 11, 5), "CN", "CN-GOLDSTAR", "CN-QINGSHAN", "Wafer handling",
              [("EMK-TRAY", 2000, 600_000)]),
    DemoOrder("SO-2019-0401", dt.date(2019, 9, 17), "DE", "DE-RHEINFELD", "DE-RHEINFELD", "Aerospace seals",
              [("EMK-PZE7", 30, 1_800_000), ("EMK-FPI20", 100, 4_500_000)]),
    DemoOrder("SO-2019-0501", dt.date(2019, 11, 19), "US", "US-CASCADE", "US-CASCADE", "Chip packaging research",
              [("EMK-HF50", 200, 2_600_000), ("EMK-TRAY", 500, 150_000)]),
    DemoOrder("SO-2019-0601", dt.date(2019, 12, 3), "AE", "AE-DELTA", "AE-DELTA", "Pump housings",
              [("EMK-MC5", 1, 38_000_000)]),
]  # fmt: skip


def demo_present(db: Session) -> bool:
    codes = [code for code, *_ in PARTIES]
    return bool(db.scalar(select(func.count()).select_from(Party).where(Party.code.in_(codes))))


def is_demo_database(db: Session) -> bool:
    """Marked by `load_demo`: a database whose users may have the public demo password."""
    return db.get(Setting, DEMO_SETTING) is not None


def is_new_database(db: Session) -> bool:
    """Nothing in it but (perhaps) the bootstrap admin: the demo may go in without mixing with real records."""
    if any(db.scalar(select(func.count()).select_from(table)) for table in (Party, Item, Licence, Order)):
        return False
    return set(db.scalars(select(User.name))) <= {"admin"}


def load_demo(db: Session, actor: Actor, screener: Screener | None) -> dict[str, int]:
    """Enter the demo data set through the services; refuse when it is already there, or when the database
    holds other records (its users would get the public demo password). Returns counts."""
    actor.require(Role.ADMIN)
    if demo_present(db):
        raise Conflict("the demo data set is already loaded in this database (party KR-HANBIT exists)")
    if not is_new_database(db) and not is_demo_database(db):
        raise RecordError(NOT_A_DEMO_DATABASE)
    db.merge(Setting(key=DEMO_SETTING, value={"public_password": True}))
    for name, role in USERS:
        if db.scalars(select(User).where(User.name == name)).first() is None:
            records.add_user(db, actor, name, role)
            auth.set_password(db, actor, name, DEMO_PASSWORD)  # demo users can log in to the web application
    for code, name, country, roles in PARTIES:
        records.add_party(db, actor, code, name, country, roles, screener)
    for code, description, hs_code, reference, rationale in ITEMS:
        item = records.add_item(db, actor, code, description, hs_code)
        records.classify(db, actor, item, DEMO_REGIME, reference, rationale, CLASSIFIED_FROM)
    for licence in LICENCES:
        orders.add_licence(
            db,
            actor,
            regime=DEMO_REGIME,
            type=licence.type,
            number=licence.number,
            holder=EXPORTER,
            destinations=licence.destinations,
            consignees=licence.consignees,
            end_users=[],
            entries=[],
            items=licence.items,
            quantity_limit=licence.quantity_limit,
            value_limit_jpy=licence.value_limit_jpy,
            valid_from=licence.valid_from,
            valid_to=licence.valid_to,
        )
    party_screener: PartyScreener | None = screener
    for order in ORDERS:
        orders.add_order(db, actor, _order_input(order), party_screener)
    return {
        "users": len(USERS),
        "parties": len(PARTIES),
        "items": len(ITEMS),
        "licences": len(LICENCES),
        "orders": len(ORDERS),
        "released": _count(db, "released"),
        "blocked": _count(db, "blocked"),
    }


def _order_input(order: DemoOrder) -> OrderInput:
    return OrderInput(
        number=order.number,
        ship_date=order.ship_date,
        destination=order.destination,
        consignee=order.consignee,
        end_user=order.end_user,
        end_use=order.end_use,
        wmd_end_use=False if order.end_use else None,
        conventional_end_use=False if order.end_use else None,
        lines=[LineInput(item=code, quantity=quantity, value_jpy=value) for code, quantity, value in order.lines],
    )


def _count(db: Session, status: str) -> int:
    numbers = [order.number for order in ORDERS]
    return int(
        db.scalar(select(func.count()).select_from(Order).where(Order.status == status, Order.number.in_(numbers))) or 0
    )
