"""The `numbers` check: every number of the French in the English, and none added.

Numbers are compared as values after French -> English conversion (`3,5` = `3.5`,
`1 000 000` = `1,000,000`, `XXe siècle` = `20th century`, `14h30` = `2.30 pm`); no library
converts numbers between these two conventions, hence the rules here.
"""

from __future__ import annotations

import re

from ..document import Flag
from ..text.lexicon import WORD
from . import Check

# A number as written: digit groups joined by spaces (thousands), dots or commas.
_GROUP_SPACE = "[ \u00a0\u202f\u2009\u2007]"
_NUMBER = re.compile(
    rf"(?<![\w.,])(?:\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})+(?:,\d+)?(?![\d])|\d+(?:[.,]\d+)*)"
)
_FRENCH_TIME = re.compile(
    r"\b(\d{1,2})\s?(?:[h:.]|heures?)\s?(\d{2})(?:\s?heures?)?\b|\b(\d{1,2})\s?(?:h|heures?)\b"
)
_ENGLISH_TIME = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s?([ap])\.?\s?m\b\.?|\b(\d{1,2}):(\d{2})\b", re.IGNORECASE
)
_ROMAN_ORDINAL = re.compile(r"\b(?![LC]e\b)([IVXLC]+)(?:e|er|re|ème|eme)\b")
_ENGLISH_ROMAN_ORDINAL = re.compile(r"\b([IVXLC]+)(?:st|nd|rd|th)\b")
_MILLIONS_THOUSANDS = re.compile(r"\b(\d{1,3})\s+millions?\s+(\d{1,3})\s+mille\s+(\d{1,3})\b")
_THOUSANDS = re.compile(r"\b(\d{1,3})\s+mille\s+(\d{1,3})\b")
_DECADE = re.compile(r"\bannées\s+(\d0)\b")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ENGLISH_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    "thousand": 1000, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "half": 0.5,
    "dozen": 12,
}  # fmt: skip
_FRENCH_WORDS = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "cent": 100, "mille": 1000, "premier": 1, "première": 1, "demi": 0.5,
    "moitié": 0.5, "douzaine": 12, "deuxième": 2, "second": 2, "seconde": 2,
    "troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6, "dixième": 10,
    "dizaine": 10, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "centaine": 100, "millier": 1000, "milliers": 1000,
}  # fmt: skip


def _value(number: float) -> str:
    """A canonical string for a number (`3.50` and `3.5` alike)."""
    return str(int(number)) if number == int(number) else repr(number)


def readings(token: str) -> set[str]:
    """The values a written number may have, in either convention: `1,500` is 1500 (English)
    or 1.5 (French); `3,5` is 3.5; `1 000 000` and `1.000.000` are 1000000."""
    token = re.sub(_GROUP_SPACE, "", token)
    if "," in token and "." in token:  # the last separator is the decimal one
        decimal = "," if token.rfind(",") > token.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return {_value(float(token.replace(thousands, "").replace(decimal, ".")))}
    for separator in ",.":
        if separator in token:
            groups = token.split(separator)
            values = set()
            if all(len(group) == 3 for group in groups[1:]):
                values.add(_value(float("".join(groups))))  # thousands
            if len(groups) == 2:
                values.add(_value(float(".".join(groups))))  # a decimal
            return values or {token}
    return {_value(float(token))}


def _roman(numeral: str) -> int:
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN[char]
        following = _ROMAN[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def _times(text: str, french: bool) -> tuple[str, set[str]]:
    """Times of day as `h:mm` on a 12-hour clock, and the text with them taken out."""
    found: set[str] = set()
    pattern = _FRENCH_TIME if french else _ENGLISH_TIME

    def take(match: re.Match[str]) -> str:
        groups = match.groups()
        if french:  # 14h30, 14:30 heures, or 14 heures
            hour, minute = int(groups[0] or groups[2]), int(groups[1] or 0)
        elif groups[0] is not None:  # 2.30 pm, 2 p.m.
            hour, minute = int(groups[0]), int(groups[1] or 0)
        else:  # 14:30
            hour, minute = int(groups[3]), int(groups[4])
        if hour > 24 or minute > 59:
            return match.group(0)
        found.add(f"{hour % 12}:{minute:02d}")
        return " "

    return pattern.sub(take, text), found


def _spelled_out_thousands(text: str) -> str:
    """`5 millions 143 mille 312` -> `5143312`, `55 mille 053` -> `55053`."""

    def millions(match: re.Match[str]) -> str:
        return str(
            int(match.group(1)) * 1_000_000 + int(match.group(2)) * 1000 + int(match.group(3))
        )

    text = _MILLIONS_THOUSANDS.sub(millions, text)
    return _THOUSANDS.sub(lambda m: str(int(m.group(1)) * 1000 + int(m.group(2))), text)


def numbers_in(text: str, french: bool) -> tuple[dict[str, set[str]], set[str]]:
    """A sentence's numbers (as written -> their possible values) and its times of day."""
    text, times = _times(text, french)
    numbers: dict[str, set[str]] = {}
    for match in (_ROMAN_ORDINAL if french else _ENGLISH_ROMAN_ORDINAL).finditer(text):
        numbers[match.group(0)] = {_value(_roman(match.group(1)))}
    if french:
        text = _spelled_out_thousands(text)
        for match in _DECADE.finditer(text):  # les années 90: the 1990s
            numbers[match.group(0)] = {match.group(1), f"19{match.group(1)}"}
            text = text.replace(match.group(0), " ", 1)
    for match in _NUMBER.finditer(text):
        numbers.setdefault(match.group(0), set()).update(readings(match.group(0)))
    return numbers, times


def _spelled(text: str, words: dict[str, float]) -> set[str]:
    return {_value(words[w]) for w in WORD.findall(text.lower()) if w in words}


def check_numbers(source: str, target: str) -> list[Flag]:
    """Every number of the source in the target and none added (as values, see module doc)."""
    wanted, wanted_times = numbers_in(source, french=True)
    found, found_times = numbers_in(target, french=False)
    in_target = set().union(*found.values(), _spelled(target, _ENGLISH_WORDS))
    in_source = set().union(*wanted.values(), _spelled(source, _FRENCH_WORDS))
    missing = [text for text, values in wanted.items() if not values & in_target]
    missing += [f"time {t}" for t in sorted(wanted_times - found_times)]
    added = [text for text, values in found.items() if not values & in_source]
    added += [f"time {t}" for t in sorted(found_times - wanted_times)]
    flags = []
    if missing:
        flags.append(Flag("numbers", "missing in the English: " + ", ".join(missing)))
    if added:
        flags.append(Flag("numbers", "not in the French: " + ", ".join(added)))
    return flags


CHECK = Check("numbers", lambda pair: check_numbers(pair.source, pair.target))
