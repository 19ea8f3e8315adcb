"""`translate-news watch`: follow French news feeds, hand the desk a daily English digest.

- `sources`: the feeds to follow (arguments, a `--feeds` file of URLs or an OPML export)
- `fetching`: polite, bounded fetching (a delay and a cap per host), overlapping translation
- `state`: what has been seen, translated and written (one JSON file, written atomically)
- `items`: recognising an item again (its canonical URL, or its text: wire copy), versions
- `writing`: the article outputs under `out/<site>/<date>/<slug>.en.*`
- `digest`: `out/digest/<date>.html`, `.md`, `.jsonl`, rebuilt from the state
- `run`: one poll of every feed (`--once`), and the loop (`--every`)
"""
