"""8-K earnings releases from a company's EDGAR submissions, against a local server standing
in for EDGAR: only Item 2.02 filings, their exhibit 99.1 stored as a document keyed by
accession number and linked to the exhibit, read by extraction; nothing fetched twice."""

from __future__ import annotations

import json
import random

from sqlmodel import select

from tests.conftest import PROJECT
from tests.support.feed_server import FeedServer
from tests.test_rules_and_outbox import Store
from watcher.extract import load_companies
from watcher.extraction import extract_pending
from watcher.sources.config import SourceConfig
from watcher.sources.http import make_client
from watcher.sources.kinds import PollContext
from watcher.sources.poll import FetchLimits, poll_sources, sync_sources
from watcher.sources.sec import RateLimiter, SecAccess, sec_user_agent
from watcher.sources.sec_filings import exhibit_name, parse_submissions
from watcher.store.db import session_scope
from watcher.store.models import Document, Observation

CIK = 1326801
RELEASE = """<html><body><h1>Example Platforms reports fourth quarter results</h1>
<p>Capital expenditures, including principal payments on finance leases, were $14.8 billion
in the fourth quarter.</p>
<p>We expect full-year 2026 capital expenditures, including principal payments on finance
leases, to be in the range of $115 billion to $135 billion.</p></body></html>"""


def submissions() -> bytes:
    recent = {
        "accessionNumber": ["0001326801-26-000010", "0001326801-26-000007", "0001326801-25-000099"],
        "form": ["8-K", "10-K", "8-K"],
        "filingDate": ["2026-01-28", "2026-01-29", "2025-12-01"],
        "items": ["2.02,9.01", "", "5.02"],
    }
    return json.dumps({"cik": str(CIK), "name": "Example", "filings": {"recent": recent}}).encode()


def folder_index() -> bytes:
    names = ["0001326801-26-000010-index.htm", "meta-20260128.htm", "meta-12312025xex991.htm"]
    return json.dumps(
        {"directory": {"item": [{"name": n, "type": "text"} for n in names]}}
    ).encode()


def poll_once(store: Store, access: SecAccess, context: PollContext):
    """One forced poll of every source, as the daemon would with this SEC access."""
    with make_client(user_agent="x") as client:
        return poll_sources(
            store.engine,
            client,
            FetchLimits(),
            force=True,
            rng=random.Random(1),
            sec=access,
            context=context,
        )


def test_parsers():
    cik, filings = parse_submissions(submissions())
    assert cik == CIK and [f.form for f in filings] == ["10-K", "8-K", "8-K"]
    assert exhibit_name(folder_index()) == "meta-12312025xex991.htm"
    assert exhibit_name(json.dumps({"directory": {"item": [{"name": "ex-99.1.htm"}]}}).encode())


def test_earnings_release_becomes_a_document(tmp_path, db_url):
    store = Store(db_url)
    folder = f"/Archives/{CIK}/000132680126000010/"
    with FeedServer() as server, make_client(user_agent=sec_user_agent("t@example.org")) as sec:
        server.set(
            "/submissions/CIK0001326801.json",
            submissions(),
            content_type="application/json",
            etag='"s1"',
        )
        server.set(folder + "index.json", folder_index(), content_type="application/json")
        server.set(folder + "meta-12312025xex991.htm", RELEASE.encode(), content_type="text/html")
        sync_sources(
            store.engine,
            [
                SourceConfig(
                    name="meta-filings",
                    url=server.url("/submissions/CIK0001326801.json"),
                    kind="sec_filings",
                    company="META",
                )
            ],
        )
        context = PollContext(fiscal_year_end={"META": 12}, archives_url=server.url("/Archives/"))
        access = SecAccess(sec, RateLimiter(10))

        def poll():
            return poll_once(store, access, context)

        first = poll()
        assert (first.failed, first.new_documents) == (0, 1)
        server.set(
            "/submissions/CIK0001326801.json",
            submissions(),
            content_type="application/json",
            etag='"s2"',
        )  # changed: parsed again
        second = poll()
        assert (second.failed, second.new_documents) == (0, 0)
        assert server.count(folder + "meta-12312025xex991.htm") == 1  # fetched once
    with session_scope(store.engine) as session:
        (document,) = session.exec(select(Document).where(Document.key.like("0001326801%")))
        assert document.key == "0001326801-26-000010"
        assert document.url.endswith(folder + "meta-12312025xex991.htm")
        assert document.published_at.date().isoformat() == "2026-01-28"
    extract_pending(store.engine, load_companies(PROJECT / "config" / "companies.yaml"))
    with session_scope(store.engine) as session:
        found = {
            (o.company, o.kind, o.period, o.low, o.high) for o in session.exec(select(Observation))
        }
    assert ("META", "guidance", "FY2026", 115_000_000_000, 135_000_000_000) in found


def test_failed_exhibit_is_tried_again_though_the_filing_list_is_unchanged(tmp_path, db_url):
    store = Store(db_url)
    folder = f"/Archives/{CIK}/000132680126000010/"
    with FeedServer() as server, make_client(user_agent=sec_user_agent("t@example.org")) as sec:
        server.set(
            "/submissions.json", submissions(), content_type="application/json", etag='"same"'
        )
        server.set(folder + "index.json", folder_index(), content_type="application/json")
        server.set(folder + "meta-12312025xex991.htm", b"down", status=500)
        sync_sources(
            store.engine,
            [
                SourceConfig(
                    name="meta-filings",
                    url=server.url("/submissions.json"),
                    kind="sec_filings",
                    company="META",
                )
            ],
        )
        context = PollContext(
            fiscal_year_end={"META": 12}, ciks={"META": CIK}, archives_url=server.url("/Archives/")
        )
        access = SecAccess(sec, RateLimiter(10))

        def poll():
            return poll_once(store, access, context)

        assert poll().new_documents == 0
        server.set(folder + "meta-12312025xex991.htm", RELEASE.encode(), content_type="text/html")
        assert poll().new_documents == 1


def test_submissions_of_another_company_are_refused(tmp_path, db_url):
    store = Store(db_url)
    with FeedServer() as server, make_client(user_agent=sec_user_agent("t@example.org")) as sec:
        server.set("/submissions.json", submissions(), content_type="application/json")
        sync_sources(
            store.engine,
            [
                SourceConfig(
                    name="msft-filings",
                    url=server.url("/submissions.json"),
                    kind="sec_filings",
                    company="MSFT",
                )
            ],
        )
        context = PollContext(
            fiscal_year_end={"MSFT": 6},
            ciks={"MSFT": 789019},
            archives_url=server.url("/Archives/"),
        )
        with make_client(user_agent="x") as client:
            counts = poll_sources(
                store.engine,
                client,
                FetchLimits(),
                force=True,
                sec=SecAccess(sec, RateLimiter(10)),
                context=context,
            )
    assert counts.failed == 1 and "CIK" in counts.errors["msft-filings"]
