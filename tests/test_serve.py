"""`translate-news serve`: the LibreTranslate API, the article API, limits and shared batches,
against a live server on 127.0.0.1 driven by real HTTP clients."""

from __future__ import annotations

import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ARTICLE, SERVE_MISSING, FakeTranslator, live_server

pytest.importorskip("fastapi", reason=SERVE_MISSING)
requests = pytest.importorskip("requests", reason=SERVE_MISSING)

pytestmark = pytest.mark.serve

SENTENCES = "Le président est arrivé hier. Il a parlé longtemps."


@pytest.fixture(scope="module")
def server() -> str:
    with live_server() as (url, _service):
        yield url


def _post(url: str, **kwargs: object) -> requests.Response:
    return requests.post(url, timeout=30, **kwargs)


# --- the LibreTranslate API -------------------------------------------------------------


def test_translate_keeps_the_layout_of_a_text(server: str) -> None:
    text = "  Bonjour le monde. Il fait beau.\n\n\nAccueil\n"
    answer = _post(f"{server}/translate", json={"q": text, "source": "fr", "target": "en"})
    assert answer.status_code == 200
    assert answer.json() == {
        "translatedText": "  EN<Bonjour le monde.> EN<Il fait beau.>\n\n\nEN<Accueil>\n",
        "flags": [],
        "confidence": None,
    }


def test_an_array_is_answered_in_order_with_detected_languages(server: str) -> None:
    body = {"q": ["Un chat dort.", "", "Deux chiens."], "source": "auto", "target": "en"}
    answer = _post(f"{server}/translate", json=body).json()
    assert answer["translatedText"] == ["EN<Un chat dort.>", "", "EN<Deux chiens.>"]
    assert [item["language"] for item in answer["detectedLanguage"]] == ["fr", "en", "fr"]
    assert answer["flags"] == [[], [], []]


def test_form_and_query_parameters_are_read_as_libretranslate_reads_them(server: str) -> None:
    form = _post(f"{server}/translate", data={"q": SENTENCES, "source": "fr", "target": "en"})
    query = _post(f"{server}/translate", params={"q": SENTENCES, "source": "fr", "target": "en"})
    expected = "EN<Le président est arrivé hier.> EN<Il a parlé longtemps.>"
    assert form.json()["translatedText"] == query.json()["translatedText"] == expected


def test_html_keeps_its_markup(server: str) -> None:
    html = '<p class="x">Le chat dort.</p><script>var a = "ne pas traduire";</script><br>Fin.'
    body = {"q": html, "source": "fr", "target": "en", "format": "html"}
    answer = _post(f"{server}/translate", json=body).json()
    assert answer["translatedText"] == (
        '<p class="x">EN&lt;Le chat dort.&gt;</p>'
        '<script>var a = "ne pas traduire";</script><br>EN&lt;Fin.&gt;'
    )
    body = {"q": ["", "<b>Oui.</b>", "Non."], "source": "fr", "target": "en", "format": "html"}
    many = _post(f"{server}/translate", json=body).json()
    assert many["translatedText"] == ["", "<b>EN&lt;Oui.&gt;</b>", "EN&lt;Non.&gt;"]


def test_deep_translator_round_trips_text_and_arrays(server: str) -> None:
    from deep_translator import LibreTranslator

    client = LibreTranslator(source="fr", target="en", custom_url=f"{server}/", api_key="-")
    assert client.translate("Le chat dort.") == "EN<Le chat dort.>"
    assert client.translate_batch(["Un.", "Deux."]) == ["EN<Un.>", "EN<Deux.>"]


def test_libretranslatepy_round_trips(server: str) -> None:
    from libretranslatepy import LibreTranslateAPI

    client = LibreTranslateAPI(f"{server}/")
    assert client.translate("Le chat dort.", "fr", "en") == "EN<Le chat dort.>"
    assert client.detect("Le président est arrivé hier à Paris.")[0]["language"] == "fr"
    assert [language["code"] for language in client.languages()] == ["fr", "en"]


def test_languages_settings_and_health(server: str) -> None:
    languages = requests.get(f"{server}/languages", timeout=10).json()
    assert languages[0] == {"code": "fr", "name": "French", "targets": ["en"]}
    settings = requests.get(f"{server}/frontend/settings", timeout=10).json()
    assert settings["charLimit"] == 50_000 and settings["keyRequired"] is False
    assert settings["language"]["source"] == {"code": "fr", "name": "French"}
    assert requests.get(f"{server}/health", timeout=10).json()["status"] == "ok"


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"source": "fr", "target": "en"}, 400, "Invalid request: missing q parameter"),
        ({"q": 1, "source": "fr", "target": "en"}, 400,
         "Invalid request: q must be a string or an array of strings"),
        ({"q": ["a", 2], "source": "fr", "target": "en"}, 400,
         "Invalid request: q must be a string or an array of strings"),
        ({"q": "a", "target": "en"}, 400, "Invalid request: missing source parameter"),
        ({"q": "a", "source": "de", "target": "en"}, 400,
         "de is not supported (this server translates fr to en)"),
        ({"q": "a", "source": "fr", "target": "de"}, 400,
         "de is not supported (this server translates fr to en)"),
        ({"q": "a", "source": "fr", "target": "en", "format": "xml"}, 400,
         "xml format is not supported"),
        ({"q": "a", "source": "fr", "target": "en", "alternatives": "x"}, 400,
         "Invalid request: alternatives parameter is not a number"),
        ({"q": "a", "source": "fr", "target": "en", "alternatives": 9}, 400,
         "Invalid request: alternatives parameter must be <= 3"),
        ({"q": "a" * 50_001, "source": "fr", "target": "en"}, 400,
         "Invalid request: request (50001) exceeds character limit (50000)"),
        ({"q": ["a"] * 101, "source": "fr", "target": "en"}, 400,
         "Invalid request: request (101) exceeds text limit (100)"),
    ],
)  # fmt: skip
def test_bad_requests_get_libretranslates_errors(
    server: str, body: dict[str, object], status: int, error: str
) -> None:
    answer = _post(f"{server}/translate", json=body)
    assert (answer.status_code, answer.json()) == (status, {"error": error})


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b'{"q": "a", ', "Invalid JSON format"),
        (b'["q"]', "Invalid JSON format"),
        ('{"q": "é"}'.encode("latin-1"), "Invalid request: the request body is not valid UTF-8"),
    ],
)
def test_malformed_bodies(server: str, data: bytes, error: str) -> None:
    headers = {"Content-Type": "application/json"}
    answer = _post(f"{server}/translate", data=data, headers=headers)
    assert (answer.status_code, answer.json()) == (400, {"error": error})


def test_unknown_paths_and_methods_answer_in_the_same_shape(server: str) -> None:
    missing = requests.get(f"{server}/nope", timeout=10)
    assert (missing.status_code, missing.json()) == (404, {"error": "Not Found"})
    wrong = requests.get(f"{server}/translate", timeout=10)
    assert (wrong.status_code, wrong.json()) == (405, {"error": "Method Not Allowed"})


def test_a_body_over_the_cap_is_413() -> None:
    with live_server(max_bytes=1000) as (url, _):
        answer = _post(f"{url}/translate", json={"q": "a" * 2000, "source": "fr", "target": "en"})
        assert (answer.status_code, answer.json()) == (
            413, {"error": "the request body is over 1,000 bytes"}
        )  # fmt: skip

        def chunks():  # no Content-Length: the cap counts what arrives
            for _ in range(20):
                yield b"q=" + b"a" * 100

        streamed = _post(f"{url}/translate", data=chunks())
        assert streamed.status_code == 413


def test_api_keys_are_required_and_checked(tmp_path: Path) -> None:
    from translate_news.serve.settings import ServeSettings

    keys = tmp_path / "keys.txt"
    keys.write_text("# the desk\nsecret-one\nsecret-two rate=2 batch=3\n", encoding="utf-8")
    settings = ServeSettings().with_keys(keys)
    with live_server(keys=settings.keys) as (url, _):
        body = {"q": "Un.", "source": "fr", "target": "en"}
        missing = _post(f"{url}/translate", json=body)
        assert (missing.status_code, missing.json()) == (
            400,
            {"error": "Please contact the server operator to get an API key (pass api_key)"},
        )
        wrong = _post(f"{url}/translate", json={**body, "api_key": "secret-on"})
        assert (wrong.status_code, wrong.json()) == (403, {"error": "Invalid API key"})
        good = _post(f"{url}/translate", json={**body, "api_key": "secret-one"})
        assert good.json()["translatedText"] == "EN<Un.>"
        limited = {**body, "api_key": "secret-two"}
        too_many = _post(f"{url}/translate", json={**limited, "q": ["a", "b", "c", "d"]})
        assert too_many.json() == {"error": "Invalid request: request (4) exceeds text limit (3)"}
        assert _post(f"{url}/translate", json=limited).status_code == 200  # its 2nd a minute
        over = _post(f"{url}/translate", json=limited)
        assert over.status_code == 429
        assert over.json() == {"error": "Slowdown: 2 requests per minute"}
        assert over.headers["Retry-After"] == "60"
        from deep_translator import LibreTranslator
        from deep_translator.exceptions import AuthorizationException

        with pytest.raises(AuthorizationException):
            LibreTranslator(source="fr", target="en", custom_url=f"{url}/",
                            api_key="nope").translate("Un.")  # fmt: skip
        settings_page = requests.get(f"{url}/frontend/settings", timeout=10).json()
        assert settings_page["keyRequired"] is True


def test_a_bad_keys_file_is_one_line(tmp_path: Path) -> None:
    from translate_news.errors import InputError
    from translate_news.serve.settings import ServeSettings

    keys = tmp_path / "keys.txt"
    keys.write_text("k1 speed=9\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"keys.txt:1: cannot read 'speed=9'; fix: write one"):
        ServeSettings().with_keys(keys)


def test_the_rate_limit_applies_per_client_without_keys() -> None:
    from translate_news.serve.settings import Limits

    with live_server(limits=Limits(requests_per_minute=3)) as (url, _):
        body = {"q": "Un.", "source": "fr", "target": "en"}
        statuses = [_post(f"{url}/translate", json=body).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]


def test_a_slow_client_is_cut_off() -> None:
    with live_server(header_timeout_s=0.5, body_timeout_s=0.5) as (url, _):
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as slow:
            slow.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\n")  # headers never end
            started = time.monotonic()
            assert slow.recv(100) == b""  # closed by the server
            assert time.monotonic() - started < 3
        with socket.create_connection((host, int(port)), timeout=5) as slow:
            slow.sendall(
                b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: "
                b"application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nq="
            )
            answer = b""  # the body stalls: the answer comes, then the connection closes
            while chunk := slow.recv(1000):
                answer += chunk
            answer = answer.decode()
            assert answer.startswith("HTTP/1.1 408")
            assert '{"error": "the request body did not arrive within 0.5 s"}' in answer


def test_no_stack_trace_reaches_a_client() -> None:
    class Broken(FakeTranslator):
        def translate(self, sentences: list[str]) -> list[str]:
            raise RuntimeError("secret internals")

    with live_server(Broken) as (url, _):
        answer = _post(f"{url}/translate", json={"q": "Un.", "source": "fr", "target": "en"})
        assert (answer.status_code, answer.json()) == (
            500, {"error": "internal error (the server log says more)"}
        )  # fmt: skip


def test_the_access_log_holds_no_text(server: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="translate_news.access"):
        _post(f"{server}/translate", params={"q": "Texte confidentiel", "source": "fr",
                                             "target": "en"})  # fmt: skip
        deadline = time.monotonic() + 5  # the line is written once the answer has gone
        while not any('"POST /translate" 200' in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, [r.getMessage() for r in caplog.records]
            time.sleep(0.02)
    lines = [record.getMessage() for record in caplog.records]
    assert not any("confidentiel" in line for line in lines)


# --- the article API --------------------------------------------------------------------


def test_an_article_gets_the_json_contract(server: str) -> None:
    from translate_news.pipeline import translate_text
    from translate_news.renderers import result_to_dict

    answer = _post(f"{server}/v1/articles", json={"text": ARTICLE, "mode": "both"})
    assert answer.headers["content-type"] == "application/json"
    from translate_news.options import Request

    expected = result_to_dict(translate_text(ARTICLE, FakeTranslator(), Request(mode="both")))
    expected["source"] = "text"
    got = answer.json()
    got.pop("made_at", None), expected.pop("made_at", None)
    assert got == expected


@pytest.mark.parametrize(
    ("accept", "start"),
    [("text/plain", "EN<Titre du jour>\n\n"), ("text/markdown", "# EN<Titre du jour>"),
     ("text/html", "<!doctype html>")],
)  # fmt: skip
def test_the_format_follows_accept(server: str, accept: str, start: str) -> None:
    answer = _post(f"{server}/v1/articles", data={"text": ARTICLE}, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.text.lower().startswith(start.lower())
    assert answer.headers["content-type"].startswith(accept)


def test_an_uploaded_file_and_a_summary(server: str) -> None:
    page = (
        "<html><head><title>Le sommet</title></head><body><article><p>"
        + ("Le président est arrivé hier à Paris pour le sommet. " * 3)
        + "</p></article></body></html>"
    )
    answer = _post(
        f"{server}/v1/articles",
        files={"file": ("page.html", page.encode(), "text/html")},
        data={"mode": "summary", "sentences": "1", "format": "json"},
    )
    body = answer.json()
    assert answer.status_code == 200, body
    assert body["mode"] == "summary" and len(body["summary"]) == 1
    assert body["source"] == "page.html"


def test_an_uploaded_pdf_and_word_file(server: str, tmp_path: Path) -> None:
    from documents import articles, build_docx, build_pdf, latin_1

    paragraph = latin_1(articles()[0]["paragraphs"][0])
    pdf = build_pdf(tmp_path / "communique.pdf", [paragraph], title="Le sommet s'ouvre")
    word = build_docx(tmp_path / "release.docx", articles()[0])
    for path, kind in ((pdf.path, "application/pdf"), (word.path, "application/octet-stream")):
        upload = {"file": (path.name, path.read_bytes(), kind)}
        answer = _post(f"{server}/v1/articles", files=upload, data={"format": "json"})
        body = answer.json()
        assert answer.status_code == 200, body
        assert body["source"] == path.name and body["origins"]["title"]["kind"] == "title"
    broken = _post(f"{server}/v1/articles", files={"file": ("cut.pdf", b"%PDF-1.4\n", "a/b")})
    assert broken.status_code == 400
    assert broken.json() == {
        "error": "cut.pdf: is a truncated PDF (it has no end); fix: open it in a PDF viewer "
        "and save or export it again, or pass its text"
    }


def test_article_errors(server: str) -> None:
    cases = [
        ({"text": "   "}, 400, "Invalid request: pass the article as text, url or file"),
        ({"text": ARTICLE, "mode": "short"}, 400,
         "Invalid request: mode must be one of full, summary, both"),
        ({"text": ARTICLE, "mode": "summary", "sentences": 2, "words": 50}, 400,
         "Invalid request: --sentences with --ratio or --words; fix: pass only one summary "
         "length"),
        ({"text": ARTICLE, "mode": "summary", "sentences": "many"}, 400,
         "Invalid request: sentences parameter is not a number"),
        ({"text": ARTICLE, "format": "pdf"}, 400,
         "pdf format is not supported (json, html, markdown, text)"),
        ({"url": "http://127.0.0.1:9/a"}, 403,
         "this server does not fetch URLs; fix: paste the article's text, or start the server "
         "with --allow-urls"),
    ]  # fmt: skip
    for body, status, error in cases:
        answer = _post(f"{server}/v1/articles", json=body)
        assert (answer.status_code, answer.json()) == (status, {"error": error}), body


def test_a_stream_reports_progress_then_the_result(server: str) -> None:
    answer = _post(f"{server}/v1/articles", data={"text": ARTICLE, "stream": "true"})
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert lines[0] == {"progress": {"done": 0, "total": 2}}
    assert lines[-2] == {"progress": {"done": 2, "total": 2}}
    assert lines[-1]["result"]["title"]["target"] == "EN<Titre du jour>"
    assert sorted(lines[-1]["downloads"]) == ["html", "json", "markdown"]


def test_models_and_docs(server: str) -> None:
    models = requests.get(f"{server}/v1/models", timeout=10).json()
    assert models["loaded"]["backend"] == "fake"
    assert models["models"][0]["id"] == "Helsinki-NLP/opus-mt-fr-en"
    spec = requests.get(f"{server}/openapi.json", timeout=10).json()
    assert {"/translate", "/detect", "/v1/articles", "/v1/models", "/health"} <= set(spec["paths"])
    assert requests.get(f"{server}/docs", timeout=10).status_code == 200


# --- URLs: off by default, public addresses only ----------------------------------------


@pytest.fixture(scope="module")
def pages() -> str:
    """A page server on 127.0.0.1: /article, and /redirect to 127.0.0.2."""
    import http.server

    article = (
        "<html><head><title>Le sommet</title></head><body><article><p>"
        "Le président est arrivé hier à Paris pour le sommet.</p></article></body></html>"
    )

    class Pages(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.2:{self.server.server_port}/article")
                self.end_headers()
                return
            body = article.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_a_url_to_a_local_address_is_refused(pages: str) -> None:
    with live_server(allow_urls=True) as (url, _):
        answer = _post(f"{url}/v1/articles", json={"url": f"{pages}/article"})
        assert answer.status_code == 400
        assert answer.json() == {"error": f"{pages}/article: 127.0.0.1 is at 127.0.0.1, a private"
                                 " or local address; fix: the server fetches public addresses "
                                 "only; an intranet's operator can start it with "
                                 "--allow-private-urls"}  # fmt: skip


def test_a_redirect_to_a_private_address_is_refused(
    pages: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate_news.inputs import addresses

    # 127.0.0.1 stands for a public server here; the redirect goes to 127.0.0.2
    monkeypatch.setattr(addresses, "is_public", lambda address: address == "127.0.0.1")
    with live_server(allow_urls=True) as (url, _):
        fine = _post(f"{url}/v1/articles", json={"url": f"{pages}/article", "format": "text"})
        assert (
            fine.text
            == "EN<Le sommet>\n\nEN<Le président est arrivé hier à Paris pour le sommet.>\n"
        )
        answer = _post(f"{url}/v1/articles", json={"url": f"{pages}/redirect"})
        assert answer.status_code == 400
        assert "127.0.0.2 is at 127.0.0.2, a private or local address" in answer.json()["error"]


def test_an_intranet_switch_allows_local_pages(pages: str) -> None:
    with live_server(allow_urls=True, allow_private_urls=True) as (url, _):
        answer = _post(f"{url}/v1/articles", json={"url": f"{pages}/article"})
        assert answer.json()["title"]["target"] == "EN<Le sommet>"


@pytest.mark.parametrize(
    ("address", "public"),
    [("8.8.8.8", True), ("2a00:1450:4007:80e::200e", True), ("127.0.0.1", False),
     ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
     ("169.254.169.254", False), ("224.0.0.1", False), ("0.0.0.0", False), ("::1", False),
     ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False), ("ff02::1", False),
     ("100.64.0.1", False)],
)  # fmt: skip
def test_public_addresses(address: str, public: bool) -> None:
    from translate_news.inputs.addresses import is_public

    assert is_public(address) is public


# --- one model, shared batches ----------------------------------------------------------


def test_concurrent_requests_share_batches_and_get_their_own_answers() -> None:
    translator = FakeTranslator(delay_s=0.3)
    with live_server(lambda: translator, merge_window_s=0.05) as (url, _):

        def ask(number: int) -> str:
            body = {"q": f"Phrase numéro {number}.", "source": "fr", "target": "en"}
            return _post(f"{url}/translate", json=body).json()["translatedText"]

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(ask, range(8)))
    assert answers == [f"EN<Phrase numéro {number}.>" for number in range(8)]
    assert len(translator.calls) < 8  # merged: fewer model calls than requests
    assert sorted(s for call in translator.calls for s in call) == sorted(
        f"Phrase numéro {number}." for number in range(8))  # fmt: skip


def test_without_merging_each_request_is_a_model_call() -> None:
    translator = FakeTranslator(delay_s=0.05)
    with live_server(lambda: translator, merge=False) as (url, _):

        def ask(number: int) -> str:
            body = {"q": f"Phrase {number}.", "source": "fr", "target": "en"}
            return _post(f"{url}/translate", json=body).json()["translatedText"]

        with ThreadPoolExecutor(4) as pool:
            assert list(pool.map(ask, range(4))) == [f"EN<Phrase {n}.>" for n in range(4)]
    assert len(translator.calls) == 4


def test_a_full_queue_is_503_with_retry_after() -> None:
    translator = FakeTranslator(delay_s=1.0)
    with live_server(lambda: translator, queue_size=1, merge=False) as (url, _):

        def ask(number: int) -> requests.Response:
            body = {"q": f"Phrase {number}.", "source": "fr", "target": "en"}
            return _post(f"{url}/translate", json=body)

        with ThreadPoolExecutor(5) as pool:
            answers = list(pool.map(ask, range(5)))
    busy = [answer for answer in answers if answer.status_code == 503]
    assert busy and len(busy) <= 3
    assert busy[0].json() == {"error": "the server is busy; try again shortly"}
    assert busy[0].headers["Retry-After"] == "1"
    assert all(a.json()["translatedText"].startswith("EN<") for a in answers if a.ok)


def test_health_says_whether_the_model_is_loaded() -> None:
    loaded = threading.Event()

    def slow_load() -> FakeTranslator:
        loaded.wait(10)
        return FakeTranslator()

    with live_server(slow_load) as (url, _):
        loading = requests.get(f"{url}/health", timeout=10)
        assert (loading.status_code, loading.json()) == (
            503, {"status": "unavailable", "model": "loading"})  # fmt: skip
        early = _post(f"{url}/translate", json={"q": "Un.", "source": "fr", "target": "en"})
        assert early.status_code == 503
        assert early.json() == {"error": "the model is not ready: the model is still loading"}
        loaded.set()
        deadline = time.monotonic() + 10
        while requests.get(f"{url}/health", timeout=10).status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_a_model_that_cannot_load_says_why_on_health() -> None:
    with live_server(lambda: FakeTranslator(unavailable="no model here")) as (url, service):
        service.worker.wait_loaded(10)
        answer = requests.get(f"{url}/health", timeout=10)
        assert answer.status_code == 503
        assert answer.json()["model"] == "no model here; fix: run translate-news models download"


def test_metrics(server: str) -> None:
    _post(f"{server}/translate", json={"q": "Un. Deux.", "source": "fr", "target": "en"})
    text = requests.get(f"{server}/metrics", timeout=10).text
    assert 'translate_news_requests_total{endpoint="/translate",status="200"}' in text
    for name in (
        "translate_news_request_seconds_bucket",
        "translate_news_source_tokens_total",
        "translate_news_queue_depth",
        "translate_news_batch_requests_bucket",
        "translate_news_batch_sentences_bucket",
        "translate_news_tokens_per_second",
    ):
        assert name in text, name  # fmt: skip


# --- the command ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sigterm_finishes_the_request_in_flight_then_exits_0(tiny_model_dir: Path) -> None:
    import signal
    import subprocess
    import sys

    port = _free_port()
    command = [sys.executable, "-c", "from translate_news.cli import main; main()", "serve",
               "--port", str(port), "--backend", "transformers", "--no-memory"]  # fmt: skip
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read()
            try:
                if requests.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "the server did not load the model"
            time.sleep(0.1)
        article = "\n\n".join(f"Le président a parlé du sommet numéro {n}." for n in range(300))
        with ThreadPoolExecutor(1) as pool:
            answer = pool.submit(_post, f"{url}/v1/articles", json={"text": article})
            time.sleep(0.3)  # the request is in flight
            process.send_signal(signal.SIGTERM)
            result = answer.result(timeout=60)
        assert result.status_code == 200
        assert len(result.json()["paragraphs"]) == 300
        assert process.wait(timeout=60) == 0
        stderr = process.stderr.read()
        assert f"translate-news: serving on http://127.0.0.1:{port}" in stderr
        assert "Traceback" not in stderr
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{url}/health", timeout=2)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def test_serve_options_are_checked_in_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from translate_news.cli import app

    runner = CliRunner()
    private = runner.invoke(app, ["serve", "--allow-private-urls"])
    assert private.exit_code == 2
    assert private.stderr == ("translate-news: error: --allow-private-urls without --allow-urls;"
                              " fix: add --allow-urls\n")  # fmt: skip
    keys = runner.invoke(app, ["serve", "--api-keys", str(tmp_path / "none.txt")])
    assert keys.exit_code == 1
    assert keys.stderr.startswith(f"translate-news: error: {tmp_path / 'none.txt'}: cannot read")
    port = runner.invoke(app, ["serve", "--port", "70000"])
    assert port.stderr == ("translate-news: error: --port must be between 0 and 65,535, got "
                           "70000; fix: pass --port 5000\n")  # fmt: skip
    helped = runner.invoke(app, ["serve", "--help"])
    for option in ("--host", "--api-keys", "--allow-urls", "--rate", "--queue", "--backend"):
        assert option in helped.stdout


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_alternatives_from_the_engines_n_best(tiny_model_dir: Path, backend: str) -> None:
    from translate_news.backends import load_translator
    from translate_news.options import ModelOptions, TranslateOptions

    def load():
        return load_translator(ModelOptions(backend=backend), TranslateOptions())

    with live_server(load) as (url, service):
        service.worker.wait_loaded(60)
        body = {"q": ["Le président est arrivé.", "Il pleut."], "source": "fr", "target": "en",
                "alternatives": 2}  # fmt: skip
        answer = _post(f"{url}/translate", json=body).json()
        assert len(answer["alternatives"]) == 2
        for best, others in zip(answer["translatedText"], answer["alternatives"], strict=True):
            assert len(others) <= 2 and best not in others
            assert len(set(others)) == len(others)
        assert all(isinstance(score, float) for score in answer["confidence"])
        ranked = service.worker.call(lambda t: t.translate_alternatives(["Il pleut."], 3))
        assert len(ranked.result(30)[0]) == 3
