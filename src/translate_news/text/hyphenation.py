"""Lines of a laid-out page joined back into running text: words broken across lines.

A line ending in a hyphen is a word the typesetter broke (`gouverne-` + `ment` ->
`gouvernement`) or a compound broken at its own hyphen (`porte-` + `parole` ->
`porte-parole`). Text extractors leave the choice to us and hyphenation dictionaries answer
where a word may be broken, not whether a hyphen belongs to it; so this asks what French
news writes: the joints of compounds seen in the OrangeSum training articles
(hyphen_joints_fr.txt), inverted pronouns (`dit-il`), names (`Jean-` + `Pierre`) and numbers.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

HYPHENS = "-\u2010\u00ad"  # hyphen-minus, hyphen, soft hyphen (a typesetter's break)
SOFT_HYPHEN = "\u00ad"
# What follows a verb's hyphen when a subject is inverted (dit-il), or a demonstrative's
# (celle-ci). Not the pronouns of imperatives (-le, -les, -en, -y): those are also the ends
# of countless broken words (tutel-les, for-ce).
_CLITICS = frozenset(
    ("t", "je", "tu", "il", "ils", "elle", "elles", "on", "nous", "vous", "ci", "là", "même",
     "mêmes")
)  # fmt: skip
_ELISION = re.compile(r"^(?:[a-z]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_EDGE_PUNCTUATION = "«»\"“”'’()[]{}.,;:!?…"


@cache
def _joints() -> frozenset[str]:
    text = resources.files(__package__).joinpath("hyphen_joints_fr.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def ends_broken(line: str) -> bool:
    """The line ends in a hyphen right after a letter: a word may go on on the next line."""
    return len(line) >= 2 and line[-1] in HYPHENS and line[-2].isalpha()


def keeps_hyphen(before: str, after: str) -> bool:
    """Whether the hyphen ending `before` (the last word of a line, hyphen dropped) belongs
    to the word, `after` being the first word of the next line."""
    left = _ELISION.sub("", before.strip(_EDGE_PUNCTUATION)).split("-")[-1]
    right = after.strip(_EDGE_PUNCTUATION).split("-")[0]
    if not left or not right:
        return True
    if right[0].isupper() or right[0].isdigit() or left[-1].isdigit():
        return True  # Jean-Pierre, Saint-Denis, G-20, covid-19
    if right.lower() in _CLITICS:
        return True  # dit-il, a-t-il, celle-ci
    return f"{left.lower()}-{right.lower()}" in _joints()


def join_lines(lines: list[str]) -> str:
    """One paragraph's lines as running text: one space between lines, broken words joined
    (the typesetter's hyphen dropped, a compound's kept)."""
    text = ""
    for line in lines:
        line = " ".join(line.split())
        if not line:
            continue
        if not text:
            text = line
        elif ends_broken(text) and line[0].isalnum():
            before = text[:-1].rsplit(" ", 1)[-1]
            after = line.split(" ", 1)[0]
            soft = text[-1] == SOFT_HYPHEN
            text = text[:-1] + ("-" if not soft and keeps_hyphen(before, after) else "") + line
        else:
            text = f"{text} {line}"
    return text
