"""The impact page runs its analysis outside the request (issue 10: long work runs outside the request).

The first view answers at once with "computing" and the number of open orders; polled, the page shows the
numbers `services.impact.impact()` gives for the same dates. A change to the records after a result was
computed makes that result stale: the next view computes again and shows the new numbers. A failing analysis
is shown as an error, never as an endless "computing", and the view after it tries again.

The analysis is held at a gate where a test must see the page before the result exists. Demo data on SQLite
and PostgreSQL: on PostgreSQL the job reads in one REPEATABLE READ snapshot.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from exportctl import demo
from exportctl.http.app import create_app
from exportctl.http.web import impact as impact_page
from exportctl.order_input import LineInput, OrderInput
from exportctl.screening.screener import Screener
from exportctl.services import actors, jobs, orders
from exportctl.services import impact as impact_service
from exportctl.services.impact import EFFECTS, Impact
from exportctl.store import db as store
from exportctl.store.models import Order
from tests.http.test_web import logged_in

START, END = dt.date(2019, 8, 27), dt.date(2019, 8, 28)  # KR leaves Group A: the demo's SO-2019-0105 changes
PAGE = f"/impact?from={START}&to={END}"
POLL = {"HX-Request": "true"}  # what htmx sends when the computing page asks again


class Gate:
    """The analysis, held until the test opens the gate; counts its runs and the threads they ran on."""

    def __init__(self, analyse: Callable[..., Impact] = impact_service.impact) -> None:
        self.open = threading.Event()
        self.runs: list[str] = []
        self._analyse = analyse

    def __call__(self, *args: Any, **kwargs: Any) -> Impact:
        self.runs.append(threading.current_thread().name)
        assert self.open.wait(30), "the test never opened the gate"
        return self._analyse(*args, **kwargs)


@pytest.fixture
def demo_app(database_url: str, screener: Screener, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with store.session(database_url) as db:
        demo.load_demo(db, actors.SYSTEM, screener)
    monkeypatch.setattr(impact_page, "JOBS", jobs.Jobs("impact-test", workers=1, kept=4))  # no result of another test
    monkeypatch.setattr(impact_page, "WAIT_SECONDS", 0.05)
    yield create_app(database_url=database_url, screener=screener)


def direct(app: Any, screener: Screener) -> Impact:
    with store.session(app.state.database_url, readonly=True) as db:
        return impact_service.impact(db, "jp", START, END, screener=screener)


def shown_counts(page: str) -> dict[str, int]:
    found = re.search(r'<p class="muted small" id="impact-counts">(.*?)</p>', page)
    assert found, "the page shows no counts"
    numbers = [int(n.replace(",", "")) for n in re.findall(r"<strong>([\d,]+)</strong>", found.group(1))]
    return dict(zip(EFFECTS, numbers, strict=True))


def shown_orders(page: str) -> list[str]:
    return re.findall(r'<td><a href="/orders/([\w-]+)">', page)


def polled(browser: TestClient, path: str = PAGE) -> str:
    """Ask as the computing page does until the result is there (each answer waits WAIT_SECONDS at most)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = browser.get(path, headers=POLL)
        assert answer.status_code == 200, answer.text
        if 'id="impact-computing"' not in answer.text:
            return answer.text
        time.sleep(0.05)
    raise AssertionError("the analysis never finished")


def test_the_page_says_computing_then_shows_what_the_analysis_gives(
    demo_app: Any, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()
    monkeypatch.setattr(impact_page, "impact", gate)
    browser = logged_in(demo_app, "alice")
    started = time.monotonic()
    first = browser.get(PAGE)
    assert first.status_code == 200 and time.monotonic() - started < 5  # the request did not run the analysis
    with store.session(demo_app.state.database_url) as db:
        open_orders = db.scalar(select(func.count()).select_from(Order).where(Order.status != "shipped"))
    assert open_orders
    assert f"({open_orders} open orders" in first.text
    assert 'id="impact-computing"' in first.text and 'id="impact-counts"' not in first.text
    # The computing part asks for itself again (htmx) with the same dates.
    assert f'hx-get="/impact?from={START}&amp;to={END}"' in first.text and 'hx-trigger="load delay:' in first.text
    assert "計算中" in browser.get(PAGE + "&lang=ja").text

    gate.open.set()
    page = polled(browser)
    expected = direct(demo_app, screener)
    assert shown_counts(page) == expected.counts()
    assert sorted(shown_orders(page)) == sorted(o.order_id for o in expected.orders)
    assert 'hx-trigger="load delay:' not in page  # done: it stops asking
    # Computed once, in the job's worker thread, not in a request's.
    assert len(gate.runs) == 1 and gate.runs[0].startswith("exportctl-impact-test")
    assert browser.get(PAGE).text.count('id="impact-counts"') == 1 and len(gate.runs) == 1  # the result is kept


def test_a_change_to_the_records_makes_the_result_stale(
    demo_app: Any, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()
    gate.open.set()
    monkeypatch.setattr(impact_page, "impact", gate)
    browser = logged_in(demo_app, "alice")
    before = shown_counts(polled(browser))
    assert len(gate.runs) == 1

    # A clerk enters a second order like SO-2019-0105 (seals to KR-SEORAE that relied on the general bulk
    # licence): it is newly blocked across 2019-08-28 as well.
    (seals,) = [order for order in demo.ORDERS if order.number == "SO-2019-0105"]
    entered = OrderInput(
        number="SO-2019-0107",
        ship_date=seals.ship_date,
        destination=seals.destination,
        consignee=seals.consignee,
        end_user=seals.end_user,
        end_use=seals.end_use,
        wmd_end_use=False,
        conventional_end_use=False,
        lines=[LineInput(item=code, quantity=quantity, value_jpy=value) for code, quantity, value in seals.lines],
    )
    with store.session(demo_app.state.database_url) as db:
        orders.add_order(db, actors.Actor("carol", "clerk"), entered, screener)

    gate.open.clear()
    stale = browser.get(PAGE)
    assert 'id="impact-computing"' in stale.text  # the old result is not shown for the changed records
    gate.open.set()
    page = polled(browser)
    expected = direct(demo_app, screener)
    assert shown_counts(page) == expected.counts()
    assert expected.counts()[impact_service.NEWLY_BLOCKED] == before[impact_service.NEWLY_BLOCKED] + 1
    assert "SO-2019-0107" in shown_orders(page)
    assert len(gate.runs) == 2


def test_a_failing_analysis_is_shown_as_an_error_and_tried_again(
    demo_app: Any, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Impact:
        raise RuntimeError("cannot read /srv/exportctl/secret.db")

    monkeypatch.setattr(impact_page, "impact", broken)
    browser = logged_in(demo_app, "alice")
    page = polled(browser)  # a poll gets the error as a 200, so htmx shows it in place of "computing"
    assert 'id="impact-failed"' in page and "The impact analysis failed" in page
    assert "/srv/exportctl" not in page  # the log has the exception; the page names no server path

    other_dates = f"{PAGE}&review_days=30"
    failed = browser.get(other_dates)
    while 'id="impact-computing"' in failed.text:
        failed = browser.get(other_dates)
    assert failed.status_code == 500 and "The impact analysis failed" in failed.text  # a plain view: server error

    # The failure was reported once; the next view computes again (and now succeeds).
    monkeypatch.setattr(impact_page, "impact", impact_service.impact)
    page = polled(browser)
    assert shown_counts(page) == direct(demo_app, screener).counts()


def test_the_job_cache_is_bounded_and_a_dropped_job_never_runs() -> None:
    runner = jobs.Jobs("bounded-test", workers=1, kept=1)
    gate = threading.Event()
    ran: list[str] = []

    def work(name: str, wait: bool = False) -> Callable[[], jobs.Computed[str]]:
        def run() -> jobs.Computed[str]:
            ran.append(name)
            if wait:
                gate.wait(30)
            return jobs.Computed("data-1", name)

        return run

    first = runner.job("a", "data-1", work("a", wait=True))  # occupies the only worker
    while not ran:
        time.sleep(0.01)
    runner.job("b", "data-1", work("b"))  # queued; dropped when "c" is asked for (one job kept)
    last = runner.job("c", "data-1", work("c"))
    gate.set()
    last.wait(30)
    first.wait(30)
    assert (last.running, last.value) == (False, "c")
    assert ran == ["a", "c"]
    # Data that changed: the kept job does not answer for it, a new one is computed.
    assert runner.job("c", "data-2", work("c2")) is not last
