"""`translate-news --help` against a one-command Typer app's `--help`, side by side.

Both run as fresh processes, alternately, N times each; the medians and their ratio are
printed. What the CLI imports at start-up (before any work) is what this measures.

    python benchmarks/help_speed.py [--runs 21]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL_APP = '''
import typer

app = typer.Typer()


@app.command()
def main(name: str = typer.Argument(..., help="A name.")) -> None:
    """Say hello."""
    print(name)


app()
'''


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        minimal = Path(folder) / "minimal.py"
        minimal.write_text(MINIMAL_APP)
        commands = {
            "one-command Typer app": [sys.executable, str(minimal), "--help"],
            "translate-news": [sys.executable, "-m", "translate_news", "--help"],
        }
        for command in commands.values():  # warm the file cache
            timed(command)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"{name:<24} median {1000 * median:7.1f} ms over {args.runs} runs")
    ratio = medians["translate-news"] / medians["one-command Typer app"]
    print(f"ratio {ratio:.2f}x")


if __name__ == "__main__":
    main()
