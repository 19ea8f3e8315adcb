"""What a watched folder has seen, translated and written: one JSON file, rewritten
atomically after each article, so a run killed at any moment resumes where it stopped."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..folders.atomic import write_atomic

STATE_NAME = "watch-state.json"
FORMAT = 1
log = logging.getLogger("translate_news")


@dataclass
class WatchState:
    """Feeds' validators (ETag, Last-Modified), items by key, article texts by hash."""

    path: Path
    feeds: dict[str, dict[str, str | None]] = field(default_factory=dict)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # body hash -> the item's key
    damaged: bool = False

    @classmethod
    def load(cls, folder: Path) -> WatchState:
        """The folder's state (empty if there is none; a damaged one is set aside)."""
        path = folder / STATE_NAME
        state = cls(path)
        if not path.exists():
            return state
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("unknown format")
            state.feeds, state.items, state.texts = data["feeds"], data["items"], data["texts"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            state.damaged = True
        return state

    def save(self) -> None:
        """Write the state atomically (sorted keys: the same state, the same bytes)."""
        data = {"format": FORMAT, "feeds": self.feeds, "items": self.items, "texts": self.texts}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))

    def taken_outputs(self) -> set[str]:
        """Every output path an item already owns."""
        return {path for item in self.items.values() for path in item.get("outputs", {}).values()}
