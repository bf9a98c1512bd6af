"""The extraction stage works in groups: documents are claimed, extracted and written
together, their old observations replaced with one DELETE and one INSERT for the group; a
document whose observations the database refuses is recorded as failed without losing the
others' results; a document another replica holds is left to it while the rest of its group
is extracted. Real SQLite and PostgreSQL databases; the refusal is a trigger in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy import text as sql

from tests.support.documents import (
    FIXED,
    META_TEXT,
    MSFT_TEXT,
    RETRY,
    T0,
    add_document,
    change,
    observations,
    row,
    wire_database,
)
from tests.support.explain import plans, selects_during
from watcher import extraction
from watcher.extraction import ExtractCounts, extract_groups, extract_pending
from watcher.store.db import make_engine

BRKN_TEXT = "Brokenco Holdings now expects 2025 capital expenditures of $5 billion to $6 billion."


@pytest.fixture
def engine(db_url):
    yield from wire_database(db_url)


def statements(engine, words: str) -> list[str]:
    """A list that collects, while extraction runs, the SQL statements starting with `words`."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if " ".join(statement.split()).upper().startswith(words):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return seen


def test_groups_are_cut_by_count_and_by_size():
    sizes = [(1, 10), (2, 10), (3, 10), (4, 100), (5, 10)]
    assert extract_groups(sizes, most=2, most_chars=1000) == [[1, 2], [3, 4], [5]]
    assert extract_groups(sizes, most=10, most_chars=50) == [[1, 2, 3], [4], [5]]
    assert extract_groups([], most=10, most_chars=50) == []


def test_a_group_replaces_the_observations_of_its_documents_in_one_go(engine):
    meta = add_document(engine, "tech-wire", "meta", "Meta raises", META_TEXT)
    msft = add_document(engine, "tech-wire", "msft", None, MSFT_TEXT)
    brkn = add_document(engine, "broken-wire", "brkn", None, BRKN_TEXT)
    first = extract_pending(engine, FIXED, retry=RETRY, now=T0)
    assert (first.documents, first.failed) == (3, 0)
    assert {o.high for o in observations(engine, msft)} == {80_000_000_000}

    change(engine, meta, META_TEXT.replace("$72 billion", "$73 billion"))
    change(engine, msft, MSFT_TEXT.replace("$80 billion", "$85 billion"))
    change(engine, brkn, BRKN_TEXT.replace("$6 billion", "$7 billion"))
    deletes = statements(engine, "DELETE FROM OBSERVATIONS")
    inserts = statements(engine, "INSERT INTO OBSERVATIONS")
    again = extract_pending(engine, FIXED, retry=RETRY, now=T0)
    assert (again.documents, again.failed) == (3, 0)
    assert len(deletes) == 1 and len(inserts) == 1
    assert {o.high for o in observations(engine, msft)} == {85_000_000_000}
    assert {o.high for o in observations(engine, brkn)} == {7_000_000_000}
    assert 73_000_000_000 in {o.high for o in observations(engine, meta)}
    for document_id in (meta, msft, brkn):
        done = row(engine, document_id)
        assert done.extracted_hash == done.content_hash and done.extract_error is None


def refuse_brokenco(engine, db_url: str) -> None:
    """A trigger that refuses every observation about BRKN, as a database may refuse a row."""
    with engine.begin() as connection:
        if db_url.startswith("sqlite"):
            connection.execute(
                sql(
                    "CREATE TRIGGER refuse_brkn BEFORE INSERT ON observations "
                    "WHEN NEW.company = 'BRKN' BEGIN SELECT RAISE(ABORT, 'BRKN refused'); END"
                )
            )
            return
        connection.execute(
            sql(
                "CREATE FUNCTION refuse_brkn() RETURNS trigger AS $$ BEGIN "
                "IF NEW.company = 'BRKN' THEN RAISE EXCEPTION 'BRKN refused'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        connection.execute(
            sql(
                "CREATE TRIGGER refuse_brkn BEFORE INSERT ON observations "
                "FOR EACH ROW EXECUTE FUNCTION refuse_brkn()"
            )
        )


def test_a_document_the_database_refuses_loses_no_other_in_its_group(engine, db_url):
    meta = add_document(engine, "tech-wire", "meta", "Meta raises", META_TEXT)
    brkn = add_document(engine, "broken-wire", "brkn", None, BRKN_TEXT)
    msft = add_document(engine, "tech-wire", "msft", None, MSFT_TEXT)
    refuse_brokenco(engine, db_url)
    counts = extract_pending(engine, FIXED, retry=RETRY, now=T0)
    assert (counts.documents, counts.failed) == (2, 1)
    assert counts.observations == len(observations(engine, meta)) + len(observations(engine, msft))
    assert observations(engine, meta) and observations(engine, msft)
    failed = row(engine, brkn)
    assert failed.extract_error.startswith("storing observations failed: ")
    assert "BRKN refused" in failed.extract_error
    assert failed.extract_attempts == 1 and failed.extracted_hash is None
    assert failed.extract_next_attempt_at == T0 + timedelta(seconds=60)
    assert observations(engine, brkn) == []
    assert extract_pending(engine, FIXED, retry=RETRY, now=T0) == ExtractCounts()


def test_a_locked_document_is_left_to_its_holder_and_its_group_goes_on(engine, db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("row locks (SKIP LOCKED) are PostgreSQL's; SQLite has one writer")
    meta = add_document(engine, "tech-wire", "meta", "Meta raises", META_TEXT)
    held = add_document(engine, "tech-wire", "msft", None, MSFT_TEXT)
    brkn = add_document(engine, "broken-wire", "brkn", None, BRKN_TEXT)
    other = make_engine(db_url)
    try:
        with other.connect() as holder, holder.begin():
            holder.execute(sql("SELECT id FROM documents WHERE id = :id FOR UPDATE"), {"id": held})
            counts = extract_pending(engine, FIXED, retry=RETRY, now=T0)
            assert (counts.documents, counts.failed) == (2, 0)
        assert observations(engine, meta) and observations(engine, brkn)
        assert observations(engine, held) == [] and row(engine, held).extracted_hash is None
        assert extract_pending(engine, FIXED, retry=RETRY, now=T0).documents == 1
    finally:
        other.dispose()
    assert observations(engine, held)


def test_a_write_that_fails_stops_the_stage_and_leaves_nothing_locked(engine, monkeypatch):
    # The first group's write fails outright (the database gone, say): the stage raises that
    # error, no group's rows are left locked (PostgreSQL), and both documents stay pending.
    monkeypatch.setattr(extraction, "GROUP_DOCUMENTS", 1)
    meta = add_document(engine, "tech-wire", "meta", "Meta raises", META_TEXT)
    msft = add_document(engine, "tech-wire", "msft", None, MSFT_TEXT)

    def gone(*_args, **_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(extraction, "_write_group", gone)
    with pytest.raises(RuntimeError, match="went away"):
        extract_pending(engine, FIXED, retry=RETRY, now=T0)
    assert row(engine, meta).extracted_hash is None and row(engine, msft).extracted_hash is None
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            locked = connection.execute(
                sql("SELECT id FROM documents WHERE id IN (:a, :b) FOR UPDATE NOWAIT"),
                {"a": meta, "b": msft},
            ).all()
            connection.rollback()
        assert len(locked) == 2
    monkeypatch.undo()
    assert extract_pending(engine, FIXED, retry=RETRY, now=T0).documents == 2


def test_finding_the_documents_to_extract_reads_only_them(engine):
    # 300 documents extracted, 2 new: the pass looking for pending documents goes through the
    # partial index of pending documents, not through every stored one (EXPLAIN).
    for n in range(300):
        add_document(engine, "tech-wire", f"old-{n}", None, f"Item {n} of the wire.")
    assert extract_pending(engine, FIXED, retry=RETRY, now=T0).documents == 300
    for n in range(2):
        add_document(engine, "tech-wire", f"new-{n}", None, MSFT_TEXT.replace("80", str(81 + n)))
    with engine.begin() as connection:
        connection.execute(sql("ANALYZE"))
    seen = selects_during(engine, lambda: extract_pending(engine, FIXED, retry=RETRY, now=T0))
    finding = [s for s in seen if "length(" in s.sql.lower() and "extracted_hash" in s.sql]
    assert finding
    for plan in plans(engine, finding):
        assert plan.uses("ix_documents_pending"), plan.text
