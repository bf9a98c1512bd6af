"""Every file of the shared feed corpora through `parse_feed`: nothing but `FeedParseError` is
raised (how long each file takes is bench/feeds.py's figure, not a test's)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from watcher.sources.errors import FeedParseError
from watcher.sources.feeds import parse_feed

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CORPORA = [SHARED_DATA / "feeds" / "feedparser-corpus", SHARED_DATA / "feeds" / "real"]


def corpus_files() -> list[Path]:
    return sorted(
        path
        for corpus in CORPORA
        if corpus.is_dir()
        for path in corpus.rglob("*")
        if path.is_file() and not path.name.startswith("LICENSE")
    )


@pytest.mark.slow
@pytest.mark.skipif(not corpus_files(), reason="../shared/data/feeds is not present")
def test_corpus_parses_or_fails_cleanly():
    failures: Counter[str] = Counter()
    parsed = 0
    for path in corpus_files():
        content_type = "application/json" if path.suffix == ".json" else "application/xml"
        try:
            parse_feed(path.read_bytes(), url="https://example.com/feed", content_type=content_type)
            parsed += 1
        except FeedParseError as exc:
            failures[str(exc).split(":")[0]] += 1
    assert parsed > 0.95 * (parsed + sum(failures.values())), failures
