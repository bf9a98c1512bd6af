"""Extraction with a time bound, so that one document cannot hold the cycle (three 5 MB
descriptions once took 66 s inside the daemon).

A regular expression working on a hostile text cannot be interrupted from inside Python, so a
document larger than `inline_chars` is extracted in a persistent worker process
(`watcher.workers.PersistentWorker`, started on the first such document) that is killed when
it takes longer than `timeout` seconds; the document then fails with an `ExtractionError`
saying so, and the caller records it as it records any failed extraction. Smaller documents,
nearly all of them, are extracted in-process at no extra cost: the extractor's time grows
linearly with the text (tests/test_extract_properties.py), so their size bounds their time.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any, Protocol

from watcher.workers import PersistentWorker, WorkerFailed, WorkerTimeout

from . import ExtractionError, extract
from .companies import CompanyRegistry
from .observation import Observation

# Documents up to this many characters are extracted in-process (well under a second).
INLINE_CHARS = 64 * 1024


class Extract(Protocol):
    """Extraction of one document with the registry already chosen (`extract`'s arguments)."""

    def __call__(
        self,
        text: str,
        *,
        date: dt.date | None = None,
        source: str | None = None,
        company_hint: str | None = None,
    ) -> list[Observation]: ...


class BoundedExtractor:
    """`extract` with a time bound per document (see the module's docstring); `timeout` None:
    no bound, every document in-process. Close it when done (it stops the worker process)."""

    def __init__(self, timeout: float | None, *, inline_chars: int = INLINE_CHARS):
        self.timeout = timeout
        self.inline_chars = inline_chars
        self._worker: PersistentWorker | None = None

    def __call__(
        self,
        text: str,
        *,
        companies: CompanyRegistry,
        date: dt.date | None = None,
        source: str | None = None,
        company_hint: str | None = None,
    ) -> list[Observation]:
        if self.timeout is None or len(text) <= self.inline_chars:
            return extract(
                text, date=date, companies=companies, source=source, company_hint=company_hint
            )
        if self._worker is None:
            self._worker = PersistentWorker(f"{__name__}:_handler", None)
        try:
            request = (text, companies, date, source, company_hint)
            found = self._worker.call(request, self.timeout)
        except WorkerTimeout:
            raise ExtractionError(
                source,
                f"extraction took longer than {self.timeout:g} s "
                f"(extract_timeout; {len(text):,} characters)",
            ) from None
        except WorkerFailed as exc:
            raise ExtractionError(source, str(exc)) from None
        if isinstance(found, str):  # the extractor failed in the worker: its reason
            raise ExtractionError(source, found)
        return found

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def using(self, companies: CompanyRegistry) -> Extract:
        """This extractor with `companies` as the registry of every call."""
        return partial(self, companies=companies)


def _handler(_setup: None) -> Any:
    """In the worker: the function that extracts one document; a failure is its reason."""

    def extract_one(
        request: tuple[str, CompanyRegistry, dt.date | None, str | None, str | None],
    ) -> Any:
        text, companies, date, source, company_hint = request
        try:
            return extract(
                text, date=date, companies=companies, source=source, company_hint=company_hint
            )
        except ExtractionError as exc:
            return exc.reason

    return extract_one
