"""`python -m translate_news`."""

from .cli import main

main()
