"""The Korea 2019–2023 timeline: one order of the three 2019 items (and two comparison lines) to a Korean
consignee, checked on each date the rules changed. `make run` prints it; the golden tests check it."""

from __future__ import annotations

import datetime as dt

from exportctl.core_types import Line, Specification, Transaction
from exportctl.settings import DEMO_REGIME

KOREA_TIMELINE_DATES: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2019, 7, 3), "before the measures"),
    (dt.date(2019, 7, 4), "3 items: individual only"),
    (dt.date(2019, 8, 28), "KR leaves Group A"),
    (dt.date(2019, 12, 20), "resist: + specific bulk"),
    (dt.date(2023, 3, 23), "measures lifted"),
    (dt.date(2023, 7, 21), "KR back in Group A"),
    (dt.date(2025, 10, 9), "catch-all revision"),
)


def korea_order(day: dt.date, regime: str = DEMO_REGIME) -> Transaction:
    return Transaction(
        regime=regime,
        date=day,
        destination="KR",
        exporter="Example Materials K.K.",
        consignee="Hanbit Semiconductor Co., Ltd.",
        end_user="Hanbit Semiconductor Co., Ltd.",
        end_user_country="KR",
        end_use="memory chip fabrication",
        lines=[
            Line(
                description="EUV resist",
                spec=Specification(product="photoresist", params={"wavelength_nm": 13.5, "resist_tone": "positive"}),
                value_jpy=30_000_000,
            ),
            Line(
                description="HF 99.99%",
                spec=Specification(product="hydrogen-fluoride", params={"hf_concentration_wt_pct": 99.99}),
                value_jpy=20_000_000,
            ),
            Line(
                description="F-polyimide",
                spec=Specification(product="fluorinated-polyimide", params={"combined_fluorine_wt_pct": 12}),
                value_jpy=15_000_000,
            ),
            Line(
                description="F-phosphazene",
                spec=Specification(
                    product="fluorinated-phosphazene-elastomer", params={"combined_fluorine_wt_pct": 35}
                ),
                value_jpy=8_000_000,
            ),
            Line(description="machining centre", item="hs:8457.10", value_jpy=60_000_000),
        ],
    )
