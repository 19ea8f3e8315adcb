"""`translate-news serve`: one loaded model shared over HTTP.

- `settings`: the service's limits and their defaults; API keys and per-key rate limits
- `batcher`: one model worker; concurrent requests' sentences merged into shared batches
- `texts`: LibreTranslate's text boxes (plain text or HTML) as prepared Results and back
- `libretranslate`: the LibreTranslate API (`/translate`, `/detect`, `/languages`, ...)
- `articles`: the article API (`/v1/articles`, `/v1/models`)
- `page`: the web page at `/`
- `app`: the FastAPI application (errors as `{"error": ...}`, limits, metrics)
- `server`: uvicorn with header and body time limits and a graceful stop on SIGTERM

Needs the `[serve]` extra (FastAPI, uvicorn, prometheus-client, python-multipart).
"""
