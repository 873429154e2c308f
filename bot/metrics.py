"""Prometheus metrics of one process. A registry per process object: nothing global, nothing at import."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.deliveries = Counter(
            "bot_deliveries_total",
            "Deliveries by outcome (sent, retry, failed, cancelled)",
            ["outcome"],
            registry=self.registry,
        )
        self.messages_sent = Counter(
            "bot_messages_sent_total", "Messages sent to subscribers", registry=self.registry
        )
        self.queue_depth = Gauge("bot_queue_depth", "Deliveries waiting to be sent", registry=self.registry)
        self.oldest_due_seconds = Gauge(
            "bot_queue_oldest_due_seconds", "Age of the oldest due delivery", registry=self.registry
        )
        self.poll_duration = Histogram(
            "bot_poll_duration_seconds",
            "Duration of one feed poll",
            ["feed"],
            registry=self.registry,
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )
        self.poll_errors = Counter(
            "bot_poll_errors_total", "Failed polls per feed", ["feed"], registry=self.registry
        )
        self.new_articles = Counter(
            "bot_new_articles_total", "New articles per feed", ["feed"], registry=self.registry
        )
        self.replies_failed = Counter(
            "bot_replies_failed_total",
            "Replies to commands given up after 429s or failed connections",
            registry=self.registry,
        )
        self.is_leader = Gauge(
            "bot_update_leader", "1 when this process receives updates", registry=self.registry
        )

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))
