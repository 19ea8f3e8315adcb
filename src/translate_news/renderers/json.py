"""`--format json`: the JSON contract of DESIGN.md, one object per article."""

from __future__ import annotations

import json
from typing import Any

from ..document import Result, Sentence
from . import Renderer


def _sentence_json(sentence: Sentence) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": sentence.id,
        "source": sentence.source,
        "target": sentence.target,
        "status": sentence.status,
    }
    if sentence.lang is not None:
        data["lang"] = sentence.lang
    if sentence.reason is not None:
        data["reason"] = sentence.reason
    if sentence.status == "translated":
        confidence = sentence.confidence
        data["confidence"] = None if confidence is None else round(confidence, 4)
    data["flags"] = [{"check": flag.check, "detail": flag.detail} for flag in sentence.flags]
    return data


def result_to_dict(result: Result) -> dict[str, Any]:
    """The JSON contract of DESIGN.md: source, model, mode, title, paragraphs (, summary);
    documents add `origins`, the page or part each paragraph came from (aligned with
    `paragraphs`)."""
    article = result.article
    title = article.title
    data: dict[str, Any] = {
        "source": result.source,
        "model": result.model.as_dict(),
        "mode": result.mode,
        "title": None if title is None else {"source": title.source, "target": title.target},
        "paragraphs": [[_sentence_json(s) for s in p.sentences] for p in article.paragraphs],
    }
    if article.title_origin is not None or any(p.origin for p in article.paragraphs):
        data["origins"] = {  # documents: where the headline and each paragraph came from
            "title": article.title_origin,
            "paragraphs": [paragraph.origin for paragraph in article.paragraphs],
        }
    if result.metadata:
        data["metadata"] = result.metadata
    if result.summary is not None:
        data["summary"] = [
            {"id": item.id, "source": item.source, "target": item.target, "score": item.score}
            for item in result.summary
        ]
    return data


def render_json(result: Result, keep_boilerplate: bool = False) -> str:
    """One JSON object per article (UTF-8, not ASCII-escaped)."""
    return json.dumps(result_to_dict(result), ensure_ascii=False, indent=2) + "\n"


RENDERER = Renderer(
    name="json", suffixes=(".json",), render=render_json, holds_summary=True, inline_flags=False
)
