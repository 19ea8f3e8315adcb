"""Build src/translate_news/checks/common_capitalised.txt: French words that the `names` check must
not take for names.

A French word written with a capital in the middle of a sentence is usually a name
(`Poutine`, `Tianjin`), but some common nouns are capitalised in institutional phrases
(`la Banque centrale`, `le Conseil d'État`) and translated as common nouns. Counted on the
OrangeSum *training* articles (never the evaluation files): a word goes in the list when it
is seen capitalised mid-sentence at least once and written in lower case more often than
that. Deterministic: the same data gives the same file.

    python benchmarks/build_name_lexicon.py
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

from translate_news.checks.names import COMMON_WORDS_FILE, fold, mid_sentence_words

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "orangesum_train_fr.jsonl.gz"
OUTPUT = ROOT / "src" / "translate_news" / "checks" / COMMON_WORDS_FILE
MIN_LOWER = 3  # a word seen in lower case fewer times is too rare to judge


def main() -> None:
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    with gzip.open(TRAIN, "rt", encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line)["text"]
            for _, word in mid_sentence_words(text):
                if word[0].isupper() and not word.isupper():
                    capitalised[fold(word)] += 1
                elif word.islower():
                    lower[fold(word)] += 1
    common = sorted(
        word for word, count in capitalised.items() if lower[word] >= max(MIN_LOWER, count + 1)
    )
    header = (
        "# French words usually written in lower case, though seen capitalised mid-sentence\n"
        "# (benchmarks/build_name_lexicon.py, from the OrangeSum training articles).\n"
    )
    OUTPUT.write_text(header + "\n".join(common) + "\n", encoding="utf-8")
    print(f"{len(common)} words -> {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
