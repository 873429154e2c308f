"""Prometheus metrics of one process. A registry per process object: nothing global, nothing at import."""

from __future__ import annotations

import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._beats: dict[str, tuple[float, float]] = {}  # loop → (last beat, longest allowed silence)
        self.registry = CollectorRegistry()
        self.deliveries = Counter(
            "bot_deliveries_total",
            "Deliveries by outcome (sent, retry, failed, cancelled)",
            ["outcome"],
            registry=self.registry,
        )
        self.messages_sent = Counter(
            "bot_messages_sent_total", "Messages a messenger accepted for subscribers", registry=self.registry
        )
        self.platform_messages = Counter(
            "bot_platform_messages_total",
            "Sends to subscribers per messenger by outcome (sent, retry, paused, failed, inactive)",
            ["platform", "outcome"],
            registry=self.registry,
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

        self.loop_silence = Gauge(
            "bot_loop_silence_seconds",
            "Seconds since each background loop last made progress",
            ["loop"],
            registry=self.registry,
        )

    def beat(self, loop: str, within: float) -> None:
        """A background loop made progress; it is stuck when it stays silent longer than `within`."""
        self._beats[loop] = (self._monotonic(), within)

    def forget_loop(self, loop: str) -> None:
        self._beats.pop(loop, None)

    def overdue(self) -> dict[str, float]:
        """Loops silent for longer than they may be, with their silence in seconds."""
        now = self._monotonic()
        late: dict[str, float] = {}
        for loop, (last, within) in self._beats.items():
            silence = now - last
            self.loop_silence.labels(loop).set(silence)
            if silence > within:
                late[loop] = silence
        return late

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))
