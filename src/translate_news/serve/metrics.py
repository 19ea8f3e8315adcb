"""The service's Prometheus metrics (a registry per service, so tests can run several)."""

from __future__ import annotations

from collections.abc import Callable

from .batcher import BatchReport

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)


class Metrics:
    """Requests, latency, tokens translated and model time, queue depth, batch sizes."""

    def __init__(self, queue_depth: Callable[[], int]) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry()
        self.requests = Counter(
            "translate_news_requests", "HTTP requests answered", ["endpoint", "status"],
            registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "translate_news_request_seconds", "Time to answer a request", ["endpoint"],
            buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.tokens = Counter(
            "translate_news_source_tokens", "Source tokens translated", registry=self.registry
        )
        self.model_seconds = Counter(
            "translate_news_model_seconds", "Time the model spent translating",
            registry=self.registry,
        )  # fmt: skip
        self.tokens_per_second = Gauge(
            "translate_news_tokens_per_second", "Source tokens a second, in the last batch",
            registry=self.registry,
        )  # fmt: skip
        self.batch_requests = Histogram(
            "translate_news_batch_requests", "Requests merged into one model call",
            buckets=SIZE_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.batch_sentences = Histogram(
            "translate_news_batch_sentences", "Sentences of one model call",
            buckets=SIZE_BUCKETS, registry=self.registry,
        )  # fmt: skip
        depth = Gauge(
            "translate_news_queue_depth", "Requests waiting for the model", registry=self.registry
        )
        depth.set_function(queue_depth)

    def batch(self, report: BatchReport) -> None:
        """Count one merged model call."""
        self.tokens.inc(report.tokens)
        self.model_seconds.inc(report.seconds)
        if report.seconds > 0:
            self.tokens_per_second.set(report.tokens / report.seconds)
        self.batch_requests.observe(report.requests)
        self.batch_sentences.observe(report.sentences)

    def answered(self, endpoint: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        self.requests.labels(endpoint, str(status)).inc()
        self.latency.labels(endpoint).observe(seconds)

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        from prometheus_client import generate_latest

        return generate_latest(self.registry)
