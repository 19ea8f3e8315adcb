"""Page furniture in scraped text: marked `skipped` with a reason, never silently lost.

Conservative on purpose: only whole lines that match what French news sites print around an
article (buttons, widgets, comment prompts, share/subscribe/login lines, cookie notices) are
skipped, and never a line that ends like a sentence. No library does this for text that has
already lost its HTML (article extractors work on the markup), hence these rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from ..document import Article, Paragraph
from ..options import MAX_SENTENCE_TOKENS
from .language import SOURCE_LANGUAGE, mark_foreign
from .segment import has_letters, parse_article

# Whole-line UI labels (compared lower-cased, apostrophes unified, end punctuation dropped).
FURNITURE_LABELS = frozenset(
    (
        "s'abonner",
        "abonnez-vous",
        "je m'abonne",
        "se connecter",
        "connexion",
        "se déconnecter",
        "déconnexion",
        "s'inscrire",
        "inscription",
        "mon compte",
        "créer un compte",
        "partager",
        "partager sur facebook",
        "partager sur twitter",
        "partager sur x",
        "partager sur linkedin",
        "partager par e-mail",
        "tweeter",
        "imprimer",
        "envoyer",
        "envoyer par e-mail",
        "copier le lien",
        "lire aussi",
        "à lire aussi",
        "lire la suite",
        "voir aussi",
        "voir plus",
        "fil d'actu",
        "fil d'actualité",
        "fil info",
        "les plus lus",
        "les plus partagés",
        "dernières infos",
        "dernières actualités",
        "publicité",
        "newsletter",
        "commenter",
        "commentaires",
        "réagir",
        "menu",
        "rechercher",
        "recherche",
        "accueil",
        "fermer",
        "loader",
        "chargement",
        "chargement en cours",
        "chat",
        "suivez-nous",
        "retour en haut",
        "plus d'articles",
        "vidéos",
        "en direct",
        "tous droits réservés",
        "mentions légales",
        "politique de confidentialité",
        "cookies",
        "accepter",
        "tout accepter",
        "refuser",
        "tout refuser",
        "paramétrer les cookies",
        "gérer mes choix",
        "abonnés",
        "réservé aux abonnés",
    )
)
# Prompts and notices: the start of a line is enough.
FURNITURE_PREFIXES = (
    "pour participer aux discussions",
    "identifiez-vous",
    "connectez-vous pour",
    "créez votre compte",
    "créez-vous un compte",
    "vous devez être connecté",
    "nous utilisons des cookies",
    "ce site utilise des cookies",
    "en poursuivant votre navigation",
    "cet article est réservé aux abonnés",
    "abonnez-vous pour",
    "partager cet article",
    "tous droits réservés",
    "copyright",
    "©",
)
MAX_FURNITURE_WORDS = 20
MAX_COUNTER_CHARS = 4
_SENTENCE_END = re.compile(r"[.!?…]['\"»”)]*$")


def _key(line: str) -> str:
    text = unicodedata.normalize("NFC", line).lower().replace("’", "'").strip()
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(" :·•|>»›-–—")


def furniture_reason(line: str) -> str | None:
    """Why a whole line is page furniture, or None when it may be news."""
    if len(line.split()) > MAX_FURNITURE_WORDS:
        return None
    key = _key(line)
    if key in FURNITURE_LABELS and not _SENTENCE_END.search(line.strip()):
        return f"page furniture: {key!r}"
    if key.startswith(FURNITURE_PREFIXES):
        return "page furniture: prompt or notice"
    return None


def mark_boilerplate(article: Article) -> None:
    """Mark furniture paragraphs `skipped` (with a reason); lone counters beside them too."""
    reasons = [_paragraph_reason(p) for p in article.paragraphs]
    for index, paragraph in enumerate(article.paragraphs):
        reason = reasons[index]
        if reason is None and _is_counter(paragraph):
            beside = reasons[index - 1 : index] + reasons[index + 1 : index + 2]
            if any(beside):
                reason = "page furniture: counter beside furniture"
        if reason is not None:
            for sentence in paragraph.sentences:
                sentence.status = "skipped"
                sentence.reason = reason


def _paragraph_reason(paragraph: Paragraph) -> str | None:
    return furniture_reason(paragraph.source_text())


def _is_counter(paragraph: Paragraph) -> bool:
    line = paragraph.source_text()
    return not has_letters(line) and len(line.strip()) <= MAX_COUNTER_CHARS


def prepare_article(
    text: str,
    lang: str = SOURCE_LANGUAGE,
    count_tokens: Callable[[str], int] | None = None,
    max_tokens: int = MAX_SENTENCE_TOKENS,
    headline: str = "auto",
    title: str | None = None,
) -> Article:
    """Parse text into an Article, furniture skipped and (for French) foreign sentences kept.

    `headline` and `title`: see `segment.parse_article`.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # the one place newlines are read
    article = parse_article(
        text, count_tokens, max_tokens, headline=headline, title=title, lang=lang
    )
    mark_boilerplate(article)
    if lang == SOURCE_LANGUAGE:
        mark_foreign(article)
        mark_foreign_furniture(article)
    return article


def mark_foreign_furniture(article: Article) -> None:
    """A short foreign line among the page's furniture at the start or end of the text is
    furniture too (a scraped widget's label: `Заголовок открываемого материала` after `Chat`),
    not a foreign sentence of the article. Only at an edge, only beside furniture, and only
    a line that does not end like a sentence: a foreign quotation inside the article stays."""
    paragraphs = article.paragraphs
    for edge in (paragraphs, paragraphs[::-1]):
        run = []
        for paragraph in edge:
            statuses = {sentence.status for sentence in paragraph.sentences}
            if statuses == {"skipped"} or _is_counter(paragraph):
                run.append((paragraph, False))
            elif _is_foreign_label(paragraph):
                run.append((paragraph, True))
            else:
                break
        if not any(not foreign for _, foreign in run):
            continue  # no furniture at this edge: a foreign line there is the article's
        for paragraph, foreign in run:
            if foreign:
                for sentence in paragraph.sentences:
                    sentence.status = "skipped"
                    sentence.reason = f"page furniture: a {sentence.lang} label beside it"


def _is_foreign_label(paragraph: Paragraph) -> bool:
    sentences = paragraph.sentences
    line = " ".join(sentence.source for sentence in sentences).strip()
    return (
        all(sentence.status == "kept" and sentence.lang is not None for sentence in sentences)
        and len(line.split()) <= MAX_FURNITURE_WORDS
        and not _SENTENCE_END.search(line)
    )
