"""The `names` check: names of the French (people, places, organisations) must be in the English.

A name is a capitalised word that does not start its sentence (or a quote) and is not a French
stopword. English keeps most names as they are, or close (`Poutine` -> `Putin`, `Élysée` ->
`Elysee`, `Russie` -> `Russia`), so a name counts as present when a word of the English is
the same after accent folding, shares its first five letters, or is close by edit ratio;
acronyms are checked only through the glossary (French ones are often spelt out in English).
Names that English writes differently (`Allemagne` -> `Germany`, `OTAN` -> `NATO`) come from
a glossary: the built-in `exonyms.tsv` plus the user's `--names FILE` (same TSV format), whose
English form must then appear. No library knows which French names English keeps, hence these rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from difflib import get_close_matches
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from ..document import Flag
from ..errors import UsageError
from ..text.lexicon import SOURCE_LANGUAGE, stopwords
from . import Check

Glossary = Mapping[str, tuple[str, ...]]  # French form -> accepted English forms

_ROMAN_ORDINAL = re.compile(r"[IVXLC]+(?:e|er|re|ème|eme)")  # XXe: the numbers check's
NAME = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:-[^\W\d_]+)*", re.UNICODE)
# A capital after these starts a quote or a clause (not after ' or ’: l'Élysée is a name).
_OPENERS = set('«“"([—–-:')
_TITLES = {"Mme", "Mmes", "Mlle", "Mlles", "Dr", "Pr", "Me", "Mgr", "St", "Ste"}  # Mr, Ms, ...
COMMON_WORDS_FILE = "common_capitalised.txt"
_CLOSE_RATIO = 0.65
_SAME_PREFIX = 5


def fold(text: str) -> str:
    """Lower case without accents: `Élysée` -> `elysee`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def parse_glossary(lines: Iterable[str], label: str) -> dict[str, tuple[str, ...]]:
    """`French<TAB>English` lines (blank lines and `#` comments skipped) as a glossary; a
    malformed line is a UsageError naming `label` and the line number."""
    glossary: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        if len(parts) != 2 or not all(parts):
            raise UsageError(
                f"{label}:{number}: expected `French<TAB>English`, got {line!r}",
                "write one name pair a line, separated by a tab",
            )
        french, english = parts
        glossary[french] = (*glossary.get(french, ()), english)
    return glossary


def read_glossary(path: str | Path) -> dict[str, tuple[str, ...]]:
    """A user's name glossary (`--names FILE`): TSV `French<TAB>English`, UTF-8."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise UsageError(
            f"{path}: the names file cannot be read ({reason})",
            "pass a UTF-8 TSV file of French<TAB>English names",
        ) from error
    return parse_glossary(text.splitlines(), str(path))


@lru_cache(maxsize=1)
def exonyms() -> dict[str, tuple[str, ...]]:
    """The built-in glossary of names English writes differently (`exonyms.tsv`)."""
    text = files(__package__).joinpath("exonyms.tsv").read_text(encoding="utf-8")
    return parse_glossary(text.splitlines(), "exonyms.tsv")


def merged(user: Glossary | None) -> Glossary:
    """The built-in glossary with the user's pairs added (theirs first)."""
    if not user:
        return exonyms()
    combined = dict(exonyms())
    for french, english in user.items():
        combined[french] = (*english, *combined.get(french, ()))
    return combined


def _contains(text: str, phrase: str) -> bool:
    """`phrase` as whole words of `text`, in any case."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE) is not None


def present(name: str, target_words: list[str]) -> bool:
    """Whether the English (its words, folded) holds `name` or a close form of it."""
    return _present(fold(name), _TargetWords(target_words))


class _TargetWords:
    """The English's folded words, with the sets that make exact and prefix lookups O(1)."""

    def __init__(self, words: list[str]) -> None:
        self.words = list(dict.fromkeys(words))
        self.exact = set(self.words)
        self.prefixes = {word[:length] for word in self.words for length in (4, _SAME_PREFIX)}


def _present(folded: str, target: _TargetWords) -> bool:
    if folded in target.exact:
        return True
    if len(folded) >= 4 and folded[:_SAME_PREFIX] in target.prefixes:  # Russie ~ Russia
        return True
    # close forms (Poutine ~ Putin, Ouganda ~ Uganda); difflib tries cheap bounds first
    return bool(get_close_matches(folded, target.words, n=1, cutoff=_CLOSE_RATIO))


def mid_sentence_words(text: str) -> Iterator[tuple[int, str]]:
    """Words that do not start the text, a sentence, a quote or a clause, with offsets: where
    a capital marks a name rather than a position."""
    for match in NAME.finditer(text):
        before = _previous_character(text, match.start())
        if before and before not in _OPENERS and before not in ".!?…":
            yield match.start(), match.group(0)


def _previous_character(text: str, index: int) -> str:
    """The last non-space character before `index` ('' at the start), without copying."""
    index -= 1
    while index >= 0 and text[index].isspace():
        index -= 1
    return text[index] if index >= 0 else ""


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """French words written capitalised mid-sentence less often than in lower case (`Banque`,
    `Etat`, `Conseil`): measured on the OrangeSum training articles by
    benchmarks/build_name_lexicon.py; such a word is not taken for a name."""
    text = files(__package__).joinpath(COMMON_WORDS_FILE).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def source_names(source: str) -> list[tuple[int, str]]:
    """Capitalised mid-sentence words that are neither French stopwords nor common words
    usually written in lower case, with their offsets."""
    common = common_words()
    return [
        (offset, word)
        for offset, word in mid_sentence_words(source)
        if word[0].isupper()
        and not word.isupper()  # acronyms are often spelt out in English: glossary only
        and not _ROMAN_ORDINAL.fullmatch(word)
        and fold(word) not in common
        and not _previous_character(source, offset).isdigit()  # a unit: 5 Md, 3 M
        and word.lower() not in stopwords(SOURCE_LANGUAGE)
        and word not in _TITLES
    ]


def check_names(source: str, target: str, glossary: Glossary | None = None) -> list[str]:
    """Names of `source` missing from `target` (glossary pairs as `French (English)`)."""
    glossary = exonyms() if glossary is None else glossary
    missing: list[str] = []
    covered: list[tuple[int, int]] = []
    for french, english in glossary.items():
        if french not in source:
            continue
        spans = [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(french)}(?![\w-])", source)]
        if not spans:
            continue
        covered.extend(spans)  # every occurrence: none is checked again as a plain name
        if not any(_contains(target, form) for form in english):
            missing.append(f"{french} ({english[0]})")
    target_words = _TargetWords([fold(word) for word in NAME.findall(target)])
    names = [(o, n) for o, n in source_names(source) if not any(a <= o < b for a, b in covered)]
    for entity in entities(source, names):  # "Gabrielle Giffords" is there as "Giffords"
        if not any(_present(fold(name), target_words) for name in entity):
            label = " ".join(entity)
            if label not in missing:
                missing.append(label)
    return missing


def entities(source: str, names: list[tuple[int, str]]) -> list[list[str]]:
    """Names next to each other (only spaces between) grouped: one person, place or body."""
    groups: list[list[str]] = []
    end = -1
    for offset, name in names:
        if groups and not source[end:offset].strip():
            groups[-1].append(name)
        else:
            groups.append([name])
        end = offset + len(name)
    return groups


def check_names_kept(source: str, target: str, names: Glossary | None = None) -> list[Flag]:
    """Names of the French missing from the English; `names` adds the user's
    French -> English pairs to the built-in ones."""
    missing = check_names(source, target, merged(names))
    return [Flag("names", "missing in the English: " + ", ".join(missing))] if missing else []


CHECK = Check("names", lambda pair: check_names_kept(pair.source, pair.target, pair.names))
