"""Polite, bounded fetching: at most a few connections per host, a delay between requests to
the same host, the size cap and deadline of every fetch; pages fetched on worker threads
while the model translates what came before."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urlsplit

from ..inputs.url import FETCH_TIMEOUT_S, Fetched, fetch
from ..options import DEFAULT_MAX_BYTES

log = logging.getLogger("translate_news")
PER_HOST = 2  # connections at once to one host
WORKERS = 8  # fetching threads in all


class _Host:
    def __init__(self) -> None:
        self.slots = threading.Semaphore(PER_HOST)
        self.lock = threading.Lock()
        self.next_start = 0.0


class PoliteFetcher:
    """Fetch URLs with a per-host delay and connection cap (see the module doc)."""

    def __init__(
        self,
        delay_s: float = 1.0,
        timeout_s: float = FETCH_TIMEOUT_S,
        max_bytes: int = DEFAULT_MAX_BYTES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay_s = delay_s
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self._sleep = sleep
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="translate-news-fetch")

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET `url` (conditionally, given validators), waiting its host's turn, and at each
        redirect to another host, that host's turn too."""
        host = self._host(url)

        def redirected(new_url: str) -> None:
            other = self._host(new_url)
            if other is not host:
                self._wait_turn(other)

        with host.slots:
            self._wait_turn(host)
            started = time.perf_counter()
            fetched = fetch(url, self.timeout_s, self.max_bytes, False, etag, last_modified,
                            redirected)  # fmt: skip
        seconds = time.perf_counter() - started
        if fetched.body is None:
            log.info("%s: not modified (%.2f s)", url, seconds)
        else:
            log.info("%s: %s, %s bytes (%.2f s)", url, fetched.media_type,
                     f"{len(fetched.body):,}", seconds)  # fmt: skip
        return fetched

    def _wait_turn(self, host: _Host) -> None:
        """Sleep until `delay_s` has passed since the host's last request began."""
        with host.lock:
            now = time.monotonic()
            wait = max(0.0, host.next_start - now)
            host.next_start = max(now, host.next_start) + self.delay_s
        if wait:
            self._sleep(wait)

    def submit(self, url: str) -> Future[Fetched]:
        """`fetch` on a worker thread."""
        return self._pool.submit(self.fetch, url)

    def close(self) -> None:
        """Stop the workers (fetches not started are dropped)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _host(self, url: str) -> _Host:
        name = (urlsplit(url).hostname or "").lower()
        with self._lock:
            return self._hosts.setdefault(name, _Host())
