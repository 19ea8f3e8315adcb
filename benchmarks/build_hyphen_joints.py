"""Build src/translate_news/text/hyphen_joints_fr.txt from the OrangeSum training articles.

A PDF line ending in a hyphen is either a word the typesetter broke (`gouverne-` + `ment`:
the hyphen goes) or a compound broken at its own hyphen (`porte-` + `parole`: it stays). The
joints of compounds that French news really writes (adjacent parts of `porte-parole`,
`a-t-il`, `c'est-à-dire`, seen at least `--min-count` times) tell them apart.

    python benchmarks/build_hyphen_joints.py [--min-count 2]
"""

from __future__ import annotations

import argparse
import collections
import gzip
import itertools
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "orangesum_train_fr.jsonl.gz"
OUT = ROOT / "src" / "translate_news" / "text" / "hyphen_joints_fr.txt"
LETTERS = "a-zàâäçéèêëîïôöùûüÿœæ"
COMPOUND = re.compile(rf"[{LETTERS}]+(?:-[{LETTERS}]+)+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, default=2)
    args = parser.parse_args()
    joints: collections.Counter[str] = collections.Counter()
    with gzip.open(TRAIN, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = f"{record.get('title', '')} {record['text']} {record.get('summary', '')}"
            for compound in COMPOUND.findall(text.lower()):
                parts = compound.split("-")
                joints.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))
    kept = sorted(joint for joint, count in joints.items() if count >= args.min_count)
    header = "# joints of French compounds (made by benchmarks/build_hyphen_joints.py)\n"
    OUT.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} joints (of {len(joints)} seen) -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
