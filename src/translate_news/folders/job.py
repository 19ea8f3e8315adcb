"""The work on one input file, the same in a local folder run and on a Ray worker.

Read (within --max-bytes), decode (HTML through the extractor), prepare (clean, segment,
summarise), then, once translated, render and write every output atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document import PageText, Result
from ..errors import InputError
from ..inputs import decode_document, only_article
from ..inputs.reading import open_regular, read_bytes, read_capped
from ..options import FolderOptions, Request
from ..pipeline import prepare_page
from .discovery import InputFile

if TYPE_CHECKING:
    from ..backends import Translator


@dataclass(frozen=True)
class FolderJob:
    """What turns one input file into its outputs: the same in this process or on a worker.

    Plain data (picklable), so a Ray worker gets the very settings the driver has.
    """

    out: Path
    settings: dict[str, Any]  # request.key(...) of the run: what decides the outputs
    request: Request
    folder_options: FolderOptions
    earlier_settings: tuple[dict[str, Any], ...] = ()  # older keys of the same run (batch.py)

    def read(self, path: Path, root: Path | None = None) -> bytes:
        """The file's bytes (within --max-bytes), or an InputError naming the file and the fix.
        A file found under the input folder `root` must still be a regular file inside it
        when it is opened."""
        return read_limited(path, self.folder_options.max_bytes, root)

    def decode(self, path: Path, data: bytes) -> PageText:
        """The article text (HTML files through the extractor)."""
        pages = decode_document(data, str(path), max_bytes=self.folder_options.max_bytes)
        return only_article(pages, str(path))

    def prepare(self, path: Path, page: PageText, translator: Translator) -> Result:
        """Clean, segment and (with --summary) pick: everything but translating."""
        return prepare_page(page, translator, self.request, source=str(path))

    def write(self, path: Path, result: Result, outputs: dict[str, str]) -> None:
        """Render and write each output atomically (never over the input)."""
        from ..renderers import RENDERERS, render
        from .atomic import write_atomic

        output = self.request.output
        fmt, keep = output.format, output.keep_boilerplate
        combined = RENDERERS.get(fmt).holds_summary  # else the summary has a file of its own
        views = {
            "translation": result if combined else replace(result, summary=None),
            "summary": replace(result, full=False),
        }
        for kind, name in outputs.items():
            target = self.out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            text = render(views[kind], fmt, keep, output.show_flags)
            write_atomic(target, text, [path])


@dataclass
class WorkItem:
    """An input that needs doing: its file, content hash and output names."""

    item: InputFile
    sha256: str
    outputs: dict[str, str]  # kind (translation | summary) -> name under OUT
    result: Result | None = None  # once prepared
    data: bytes | None = None  # the bytes read and hashed, where they travel (Ray rows)


def read_limited(path: Path, max_bytes: int, root: Path | None = None) -> bytes:
    """The file's bytes, refused over `max_bytes`; a file found by discovery and gone now
    "vanished during the run". What is checked is what was opened (a file swapped for a FIFO
    or for a link leading elsewhere after discovery is refused, not read)."""
    import os

    try:
        descriptor = open_regular(path)
    except FileNotFoundError as error:
        raise InputError(f"{path}: vanished during the run", "check who removes files") from error
    except OSError:
        return read_bytes(path, max_bytes)  # read_bytes says what is wrong
    with os.fdopen(descriptor, "rb") as stream:
        if root is not None and not _opened_path(descriptor, path).is_relative_to(root):
            raise InputError(
                f"{path}: now leads outside the input folder", "check who replaces its files"
            )
        size = os.fstat(descriptor).st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: is {size:,} bytes, over the {max_bytes:,}-byte limit",
                "pass --max-bytes with a larger limit, or split the file",
            )
        return read_capped(stream, str(path), max_bytes)


def _opened_path(descriptor: int, path: Path) -> Path:
    """Where the open file really is (Linux names it in /proc; elsewhere, resolve the name)."""
    import os

    try:
        return Path(os.readlink(f"/proc/self/fd/{descriptor}"))
    except OSError:
        return path.resolve()
