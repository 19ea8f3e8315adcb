"""Place a tiny random-weight Marian model where huggingface_hub caches the default model id.

CI cannot reach the Hugging Face hub, so before it runs the README's first set-up command it
seeds the cache under HF_HOME (with HF_HUB_OFFLINE=1) the way a first run's download would:
the loading path the command takes (hub id -> cache -> from_pretrained) is the real one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from translate_news.models import resolve_model
from translate_news.testing import build_marian_model, install_in_hf_cache


def main() -> None:
    hf_home = Path(sys.argv[1])
    data = Path(__file__).resolve().parents[1] / "tests" / "data"
    french = (data / "train.fr").read_text(encoding="utf-8").splitlines()
    english = (data / "train.en").read_text(encoding="utf-8").splitlines()
    folder = build_marian_model(hf_home / "built" / "opus-mt-tiny", french, english)
    spec = resolve_model(None, None)
    install_in_hf_cache(folder, hf_home, spec.id, spec.revision)
    print(f"seeded {spec.id}@{spec.revision} under {hf_home}")


if __name__ == "__main__":
    main()
