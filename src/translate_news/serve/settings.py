"""The service's limits (with their defaults), its API keys, and per-key rate limits."""

from __future__ import annotations

import hmac
import time
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError
from ..options import DEFAULT_MAX_BYTES, check_range


@dataclass(frozen=True)
class Limits:
    """What one client may ask: requests a minute, characters a request, texts an array."""

    requests_per_minute: int = 120
    characters: int = 50_000  # a long article is ~20,000 characters
    texts: int = 100  # items of a `q` array

    def __post_init__(self) -> None:
        check_range("--rate", self.requests_per_minute, "120")
        check_range("--char-limit", self.characters, "50000")
        check_range("--batch-limit", self.texts, "100")


@dataclass(frozen=True)
class ServeSettings:
    """How the service listens and what it accepts (the defaults are safe for a desk)."""

    host: str = "127.0.0.1"
    port: int = 5000
    limits: Limits = field(default_factory=Limits)
    keys: dict[str, Limits] | None = None  # None: no key needed; else each key and its limits
    max_bytes: int = DEFAULT_MAX_BYTES  # the largest request body
    header_timeout_s: float = 10.0  # a client must send its request line and headers in this
    body_timeout_s: float = 30.0  # ... and each part of its body within this
    allow_urls: bool = False  # fetch articles by URL (off: the server fetches nothing)
    allow_private_urls: bool = False  # ... including private and local addresses (intranets)
    queue_size: int = 64  # requests waiting for the model; more are refused with 503
    merge_window_s: float = 0.005  # how long the model worker gathers requests into a batch
    merge: bool = True  # False: one request at a time (the benchmark's baseline)
    shutdown_timeout_s: float = 30.0  # on SIGTERM, how long requests in flight may finish

    def __post_init__(self) -> None:
        check_range("--port", self.port, "5000")
        check_range("--max-bytes", self.max_bytes, str(DEFAULT_MAX_BYTES))
        check_range("--queue", self.queue_size, "64")

    def limits_of(self, key: str | None) -> Limits:
        """The limits of a client (its key's, else the service's)."""
        if self.keys is None or key is None:
            return self.limits
        return self.keys.get(key, self.limits)

    def with_keys(self, path: Path) -> ServeSettings:
        """These settings with the keys of an --api-keys file."""
        return replace(self, keys=read_keys(path, self.limits))


def read_keys(path: Path, defaults: Limits) -> dict[str, Limits]:
    """An --api-keys file: one key a line, optionally followed by its own limits
    (`rate=N chars=N batch=N`); blank lines and `#` comments ignored."""
    fix = "write one key a line, optionally `KEY rate=60 chars=20000 batch=50`"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the API keys ({error})", fix) from error
    keys: dict[str, Limits] = {}
    names = {"rate": "requests_per_minute", "chars": "characters", "batch": "texts"}
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        overrides: dict[str, int] = {}
        for word in words[1:]:
            name, _, value = word.partition("=")
            if name not in names or not value.isdigit():
                raise InputError(f"{path}:{number}: cannot read {word!r}", fix)
            overrides[names[name]] = int(value)
        keys[words[0]] = replace(defaults, **overrides)
    if not keys:
        raise InputError(f"{path}: holds no API key", fix)
    return keys


def known_key(keys: dict[str, Limits], given: str) -> str | None:
    """The key `given` matches, compared in constant time with every key (so the time taken
    says nothing of how much of a key was right), or None."""
    found = None
    for key in keys:
        if hmac.compare_digest(key.encode("utf-8"), given.encode("utf-8")):
            found = key
    return found


class RateLimiter:
    """Requests a minute per client, over a sliding window (called on the event loop only)."""

    def __init__(self, clock: object = time.monotonic) -> None:
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}

    def allow(self, client: str, per_minute: int) -> bool:
        """Count a request of `client`; False when it is over its limit."""
        now = self._clock()  # type: ignore[operator]
        seen = self._seen.setdefault(client, deque())
        while seen and seen[0] <= now - 60.0:
            seen.popleft()
        if len(seen) >= per_minute:
            return False
        seen.append(now)
        return True
