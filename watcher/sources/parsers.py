"""The feed-parsing worker processes of one poll.

feedparser costs about a millisecond of CPU for a small feed, as much as fetching it, and in the
poller's process it runs under the one lock (the GIL) that the fetching threads and the storing
thread need too. A poll hands every feed source's body to `FeedParsers`, a few worker interpreters
(`watcher.workers.PersistentWorker`; the poll starts two a core, at most one per fetching
thread, ~25 MB each), so parsing runs beside fetching and storing on the machine's other
cores, and every body is parsed with the worker's time and memory limits (`PARSE_TIMEOUT`,
`PARSE_MEMORY`; in the poller's own process a small body had none).

A fetch thread takes an idle worker (waiting for one when all are busy), sends the body, and
gets the entries back. A worker that takes too long is killed and started again for the next
body; one that dies (killed for its memory, say) likewise: the body fails its source with a
clear error, the other sources are not affected. The workers start on the first body and stop
when the poll ends, so an idle daemon keeps no parser process.
"""

from __future__ import annotations

import os
import queue
import resource
from collections.abc import Callable
from typing import Any

from watcher.sources.errors import FeedParseError
from watcher.sources.feeds import PARSE_MEMORY, PARSE_TIMEOUT, ParsedFeed, parse_outcome
from watcher.workers import PersistentWorker, WorkerFailed, WorkerTimeout


class FeedParsers:
    """Up to `size` parser processes shared by the threads of one poll (a context manager)."""

    def __init__(self, size: int | None = None, *, timeout: float = PARSE_TIMEOUT) -> None:
        self.size = max(1, size or os.cpu_count() or 1)
        self.timeout = timeout
        # Last in, first out: a poll with few bodies keeps to the worker it has started.
        self._idle: queue.LifoQueue[PersistentWorker] = queue.LifoQueue()
        self._workers = [
            PersistentWorker(f"{__name__}:handler", PARSE_MEMORY) for _ in range(self.size)
        ]
        for worker in self._workers:
            self._idle.put(worker)  # each starts when it first gets a body

    def parse(self, body: bytes, url: str, content_type: str | None) -> ParsedFeed:
        """`feeds._parse` of this body in a worker; raises `FeedParseError` (and nothing else)."""
        worker = self._idle.get()
        try:
            status, payload = worker.call((body, url, content_type), self.timeout)
        except WorkerTimeout:
            raise FeedParseError(
                f"parsing took longer than {self.timeout:g} s (too large or hostile)"
            ) from None
        except WorkerFailed as exc:  # killed for its memory, say; the next body restarts it
            raise FeedParseError(f"the parser process failed: {exc}") from None
        else:
            if status == "memory":  # what it holds now may fail the next, innocent body
                worker.close()
        finally:
            self._idle.put(worker)
        if status == "ok":
            return payload
        raise FeedParseError(payload)

    def close(self) -> None:
        for worker in self._workers:
            worker.close()

    def __enter__(self) -> FeedParsers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def handler(memory: int) -> Callable[[tuple[bytes, str, str | None]], tuple[str, Any]]:
    """In the worker: limit the address space, then answer each (body, url, content type)
    with `feeds.parse_outcome`."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    def handle(request: tuple[bytes, str, str | None]) -> tuple[str, Any]:
        return parse_outcome(*request, memory=memory)

    return handle
