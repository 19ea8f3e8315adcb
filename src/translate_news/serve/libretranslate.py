"""The LibreTranslate API, as its clients (deep-translator, libretranslatepy, Mastodon,
Weblate, Discourse) call it: same paths, parameters, answers and `{"error"}` codes.

Beyond LibreTranslate, each answer carries `flags` (what a reader should check, per text)
and `confidence` (the model's, of the text's weakest sentence), which its clients ignore.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from ..document import Sentence
from ..text.lexicon import SOURCE_LANGUAGE
from .app import Service
from .params import ApiError, admitted, client_of, integer, parameters
from .texts import Box, prepare_box

TARGET_LANGUAGE = "en"
LANGUAGES = {"fr": "French", "en": "English"}
MOST_ALTERNATIVES = 3
FORMATS = ("text", "html")


def router(service: Service) -> Any:
    """The LibreTranslate routes of `service`."""
    routes = APIRouter(tags=["LibreTranslate"])
    settings = service.settings

    @routes.post("/translate")
    async def translate(request: Request) -> Any:
        """Translate `q` (a string or an array of strings) from `source` (fr or auto) to
        `target` (en); `format` text or html; `alternatives`: how many other translations."""
        params = await parameters(request)
        limits = admitted(settings, service.limiter, params, client_of(request))
        texts, many = _texts(params.get("q"))
        for name in ("source", "target"):
            if not params.get(name):
                raise ApiError(400, f"Invalid request: missing {name} parameter")
        alternatives = integer(params, "alternatives", 0) or 0
        if alternatives > MOST_ALTERNATIVES:
            raise ApiError(
                400, f"Invalid request: alternatives parameter must be <= {MOST_ALTERNATIVES}"
            )
        if many and len(texts) > limits.texts:
            raise ApiError(
                400, f"Invalid request: request ({len(texts)}) exceeds text limit ({limits.texts})"
            )
        longest = max(len(text) for text in texts)
        if longest > limits.characters:
            raise ApiError(
                400,
                f"Invalid request: request ({longest}) exceeds character limit "
                f"({limits.characters})",
            )
        source, target = str(params["source"]).lower(), str(params["target"]).lower()
        if source not in (SOURCE_LANGUAGE, "auto"):
            raise ApiError(400, f"{source} is not supported (this server translates fr to en)")
        if target != TARGET_LANGUAGE:
            raise ApiError(400, f"{target} is not supported (this server translates fr to en)")
        text_format = str(params.get("format") or "text").lower()
        if text_format not in FORMATS:
            raise ApiError(400, f"{text_format} format is not supported")
        translator = service.translator
        boxes = await service.prepare(_boxes, texts, text_format, translator, service.request)
        await service.translate([result for box in boxes for result in box.results])
        answers = [box.english() for box in boxes]
        body: dict[str, Any] = {"translatedText": answers if many else answers[0]}
        if source == "auto":
            detected = [_detected(box.plain()) for box in boxes]
            body["detectedLanguage"] = detected if many else detected[0]
        if alternatives:
            found = [
                await _alternatives(service, box, alternatives, answer) if box.format == "text"
                else []
                for box, answer in zip(boxes, answers, strict=True)
            ]  # fmt: skip
            body["alternatives"] = found if many else found[0]
        checks = [_checks(box.units()) for box in boxes]
        body["flags"] = [flags for flags, _ in checks] if many else checks[0][0]
        body["confidence"] = [score for _, score in checks] if many else checks[0][1]
        return body

    @routes.post("/detect")
    async def detect(request: Request) -> Any:
        """The likeliest languages of `q`, best first."""
        params = await parameters(request)
        admitted(settings, service.limiter, params, client_of(request))
        texts, _ = _texts(params.get("q"))
        return [
            {"confidence": confidence, "language": code}
            for code, confidence in _languages(" ".join(texts))
        ]

    @routes.get("/languages")
    async def languages() -> Any:
        """The languages this server translates from, and to."""
        return [
            {"code": SOURCE_LANGUAGE, "name": LANGUAGES[SOURCE_LANGUAGE],
             "targets": [TARGET_LANGUAGE]},
            {"code": TARGET_LANGUAGE, "name": LANGUAGES[TARGET_LANGUAGE], "targets": []},
        ]  # fmt: skip

    @routes.get("/frontend/settings")
    async def frontend_settings() -> Any:
        """What LibreTranslate's front ends read: limits, keys, the language pair."""
        return {
            "charLimit": settings.limits.characters,
            "frontendTimeout": 500,
            "apiKeys": settings.keys is not None,
            "keyRequired": settings.keys is not None,
            "suggestions": False,
            "filesTranslation": False,
            "supportedFilesFormat": [],
            "language": {
                "source": {"code": SOURCE_LANGUAGE, "name": LANGUAGES[SOURCE_LANGUAGE]},
                "target": {"code": TARGET_LANGUAGE, "name": LANGUAGES[TARGET_LANGUAGE]},
            },
        }

    return routes


def _texts(q: Any) -> tuple[list[str], bool]:
    """`q` as a list of texts, and whether it was an array."""
    if q is None or q == "" or q == []:
        raise ApiError(400, "Invalid request: missing q parameter")
    if isinstance(q, str):
        return ["\n".join(q.splitlines()) if "\r" in q else q], False
    if isinstance(q, list) and all(isinstance(item, str) for item in q):
        return list(q), True
    raise ApiError(400, "Invalid request: q must be a string or an array of strings")


def _boxes(texts: list[str], text_format: str, translator: Any, request: Any) -> list[Box]:
    return [prepare_box(text, text_format, translator, request) for text in texts]


def _languages(text: str) -> list[tuple[str, float]]:
    from ..text.language import detect_languages

    return detect_languages(text)


def _detected(text: str) -> dict[str, Any]:
    code, confidence = _languages(text)[0]
    return {"confidence": confidence, "language": code}


def _checks(units: list[Sentence]) -> tuple[list[dict[str, str]], float | None]:
    """The text's flags (with their sentence) and its weakest sentence's confidence."""
    flags = [
        {"sentence": unit.source, "check": flag.check, "detail": flag.detail}
        for unit in units
        for flag in unit.flags
    ]
    scores = [unit.confidence for unit in units if unit.confidence is not None]
    return flags, (round(min(scores), 4) if scores else None)


async def _alternatives(service: Service, box: Box, count: int, best: str) -> list[str]:
    """Up to `count` other translations of a text box: its sentences' n-best, the k-th
    alternative taking each sentence's (k+1)-th hypothesis (its best where it has fewer)."""
    from ..backends.base import translate_alternatives
    from ..text.normalize import to_model_input, to_reader_output

    units = [unit for unit in box.units() if unit.status == "translated"]
    if not units:
        return []
    inputs = [to_model_input(unit.source) for unit in units]
    ranked = await service.on_model(
        lambda translator: translate_alternatives(translator, inputs, count + 1)
    )
    found: list[str] = []
    for rank in range(1, count + 1):
        originals = [unit.target for unit in units]
        for unit, hypotheses in zip(units, ranked, strict=True):
            pick = hypotheses[rank] if rank < len(hypotheses) else hypotheses[0]
            unit.target = to_reader_output(pick, unit.source)
        text = box.english()
        for unit, original in zip(units, originals, strict=True):
            unit.target = original
        if text != best and text not in found:
            found.append(text)
    box.english()  # the box's pieces back to the best translation
    return found
