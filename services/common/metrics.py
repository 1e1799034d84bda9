"""Prometheus metrics of one service process, served on its own port.

Names follow ``<service>_<thing>_total`` / ``_seconds``; the service name is the
namespace because each process runs exactly one service.
"""

from __future__ import annotations

import logging
import time
from functools import cache

from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc
from prometheus_client import REGISTRY, Counter, Gauge, Histogram, start_http_server

from services.common.errors import PlatformError

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                   10.0, 30.0)


class ServiceMetrics:
    def __init__(self, service: str, registry=REGISTRY):
        ns = service
        self.rpc_calls = Counter("rpc_calls", "RPC calls handled, by method and outcome "
                                 "(ok, rejected: a typed error, failed: a bug)",
                                 ["method", "outcome"], namespace=ns, registry=registry)
        self.rpc_duration = Histogram("rpc_duration_seconds", "RPC handling time",
                                      ["method"], namespace=ns, buckets=LATENCY_BUCKETS,
                                      registry=registry)
        self.rpc_expired = Counter("rpc_expired", "RPC requests dropped unrun because "
                                   "their caller's deadline had passed", ["method"],
                                   namespace=ns, registry=registry)
        self.events_published = Counter("events_published", "Events published from the "
                                        "outbox", ["event_type"], namespace=ns,
                                        registry=registry)
        self.events_consumed = Counter("events_consumed", "Events handled, by outcome "
                                       "(applied, duplicate, failed)",
                                       ["source", "event_type", "outcome"], namespace=ns,
                                       registry=registry)
        self.events_retried = Counter("events_retried", "Failed events sent for a retry",
                                      ["source", "event_type"], namespace=ns,
                                      registry=registry)
        self.events_dead_lettered = Counter("events_dead_lettered", "Events that failed "
                                            "every retry and wait in a .dead queue",
                                            ["source", "event_type"], namespace=ns,
                                            registry=registry)
        self.outbox_backlog = Gauge("outbox_backlog", "Outbox rows not yet published",
                                    namespace=ns, registry=registry)
        self.outbox_oldest_age = Gauge("outbox_oldest_unsent_age_seconds", "Age of the "
                                       "oldest unpublished outbox row", namespace=ns,
                                       registry=registry)
        self.db_pool_checked_out = Gauge("db_pool_checked_out", "Database connections "
                                         "in use", namespace=ns, registry=registry)
        self.db_pool_size = Gauge("db_pool_size", "Database pool size", namespace=ns,
                                  registry=registry)

    def track_pools(self, *engines) -> None:
        """Report the connection pools of ``engines`` (writes and reads) together."""
        pools = [e.pool for e in engines if hasattr(e.pool, "checkedout")]
        self.db_pool_checked_out.set_function(lambda: sum(p.checkedout() for p in pools))
        self.db_pool_size.set_function(lambda: sum(p.size() for p in pools))


@cache
def service_metrics(service: str) -> ServiceMetrics:
    """One set of metrics per service name in this process."""
    return ServiceMetrics(service)


_servers: dict[int, object] = {}


def serve(host: str, port: int) -> None:
    """Start the /metrics HTTP server once per port (0 = off)."""
    if port and port not in _servers:
        _servers[port] = start_http_server(port, addr=host)
        log.info("metrics served", extra={"port": port})


class Metrics(DependencyProvider):
    """Times every RPC and counts every event handled; serves /metrics."""

    def setup(self):
        from services.common.settings import service_settings

        self.metrics = service_metrics(self.container.service_name)
        settings = service_settings(self.container.service_name)
        serve(settings.metrics_host, settings.metrics_port or 0)

    def get_dependency(self, worker_ctx):
        return self.metrics

    def worker_setup(self, worker_ctx):
        worker_ctx._platform_started = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        entrypoint = worker_ctx.entrypoint
        if exc_info is None:
            outcome = "ok"
        elif isinstance(exc_info[1], PlatformError):
            outcome = "rejected"
        else:
            outcome = "failed"
        if isinstance(entrypoint, Rpc):
            elapsed = time.perf_counter() - worker_ctx._platform_started
            self.metrics.rpc_calls.labels(entrypoint.method_name, outcome).inc()
            self.metrics.rpc_duration.labels(entrypoint.method_name).observe(elapsed)
        elif isinstance(entrypoint, EventHandler) and exc_info is not None:
            self.metrics.events_consumed.labels(entrypoint.source_service,
                                                entrypoint.event_type, "failed").inc()
