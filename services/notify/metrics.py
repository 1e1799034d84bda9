"""What an operator watches in the notify service, beside the chassis metrics: messages
by channel and outcome, provider latency and throttling, the backlog, mass jobs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from prometheus_client import REGISTRY, Counter, Gauge, Histogram

from services.common.metrics import LATENCY_BUCKETS


class NotifyMetrics:
    def __init__(self, registry=REGISTRY):
        ns = "notify"
        self.deliveries = Counter(
            "deliveries", "Delivery outcomes by channel (sent, retried, failed, delivered "
            "for the mailbox)", ["channel", "outcome"], namespace=ns, registry=registry)
        self.batch_seconds = Histogram(
            "provider_batch_seconds", "Time one batch spends with its provider",
            ["channel"], namespace=ns, buckets=LATENCY_BUCKETS, registry=registry)
        self.throttled = Counter(
            "provider_throttled", "Batches the provider refused for now (429, 5xx, "
            "timeouts, SMTP 4xx)", ["channel"], namespace=ns, registry=registry)
        self.backlog = Gauge("delivery_backlog", "Messages queued, not yet sent",
                             ["channel"], namespace=ns, registry=registry)
        self.mass_jobs_active = Gauge("mass_jobs_active", "Mass communication jobs not "
                                      "yet completed", namespace=ns, registry=registry)
        self.phase_seconds = Histogram(
            "phase_seconds", "Time spent per phase of the pipeline: drawing a page of "
            "members from the registry, rendering it, queueing it; claiming, sending "
            "and recording a batch", ["channel", "phase"], namespace=ns,
            buckets=LATENCY_BUCKETS, registry=registry)
        self.mass_recipients = Counter("mass_recipients", "Members drawn from the "
                                       "registry into mass communication jobs",
                                       namespace=ns, registry=registry)

    @contextmanager
    def phase(self, channel: str, phase: str) -> Iterator[None]:
        """Time one phase of the pipeline (``phase_seconds``)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.phase_seconds.labels(channel, phase).observe(time.perf_counter() - started)


@cache
def notify_metrics() -> NotifyMetrics:
    return NotifyMetrics()
