"""One registry per extension point: typed records found by name.

Built-in records live one module each (`READER` in inputs/text.py, ...), imported on first
use; other packages add theirs through an entry-point group (`translate_news.readers`, ...),
or at run time with `register`. Every list a user sees (choices, suffixes, default globs) is derived
from the records, so a new reader, renderer, check or backend is one new file.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar

from .errors import UsageError

log = logging.getLogger("translate_news")


class Named(Protocol):
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


class Registry(Generic[T]):
    """Records of one kind by name, in registration order (built-ins first)."""

    def __init__(
        self,
        kind: str,
        package: str,
        builtins: tuple[str, ...] | dict[str, str],
        option: str,
        noun: str = "",
    ) -> None:
        self.kind = kind  # "reader", ...: its entry-point group is translate_news.<kind>s
        self.noun = noun or kind  # what a user calls one ("format" for a renderer)
        # built-in `name` is the record `<KIND>` of `package.<module>` (by default `module` is
        # `name`; a dict maps names to modules)
        self._package = package
        self._modules = builtins if isinstance(builtins, dict) else {n: n for n in builtins}
        self._option = option  # how a user chooses one, for the fix of an unknown name
        self._records: dict[str, T] | None = None
        self._plugins_loaded = False

    def _loaded(self, plugins: bool = True) -> dict[str, T]:
        if self._records is None:
            self._records = {}
            for name, module_name in self._modules.items():
                module = importlib.import_module(f"{self._package}.{module_name}")
                self._records[name] = getattr(module, self.kind.upper())
        if plugins and not self._plugins_loaded:
            self._plugins_loaded = True
            for record in _entry_point_records(f"translate_news.{self.kind}s"):
                self._records.setdefault(record.name, record)  # never over a built-in
        return self._records

    def register(self, record: T) -> None:
        """Add `record` (or replace the one of the same name)."""
        self._loaded()[record.name] = record

    def unregister(self, name: str) -> None:
        """Remove the record named `name`, if any."""
        self._loaded().pop(name, None)

    @contextmanager
    def registered(self, record: T) -> Iterator[T]:
        """`record` registered for the duration of a `with` block (what tests use)."""
        previous = self._loaded().get(record.name)
        self.register(record)
        try:
            yield record
        finally:
            if previous is None:
                self.unregister(record.name)
            else:
                self.register(previous)

    def names(self, plugins: bool = True) -> tuple[str, ...]:
        """The registered names, built-ins first (`plugins=False`: without looking up the
        installed plug-ins, which costs `--help` the import of importlib.metadata)."""
        if not plugins and self._records is None:
            return tuple(self._modules)  # without importing their modules either
        return tuple(self._loaded(plugins))

    def records(self) -> tuple[T, ...]:
        """The registered records, built-ins first."""
        return tuple(self._loaded().values())

    def get(self, name: str) -> T:
        """The record named `name`, or a UsageError listing the choices."""
        record = self._loaded().get(name)
        if record is None:
            raise UsageError(
                f"unknown {self.noun} {name!r}", f"use {self._option} {', '.join(self.names())}"
            )
        return record


def _entry_points(group: str) -> list[Any]:
    """The entry points installed packages declare under `group`."""
    from importlib.metadata import entry_points

    return list(entry_points(group=group))


def _entry_point_records(group: str) -> list[Any]:
    """Records other installed packages declare under `group` (a broken one is logged and
    skipped: it must not take the built-ins down with it)."""
    found = []
    for entry_point in _entry_points(group):
        try:
            found.append(entry_point.load())
        except Exception as error:  # a third-party plug-in failing to import
            log.warning("plug-in %s (%s) not loaded: %s", entry_point.name, group, error)
    return found
