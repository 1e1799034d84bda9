"""Prometheus metrics the gateway exports, kept in a registry of its own."""

from __future__ import annotations

from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

# A registry of our own: importing the module twice (tests, reloads) cannot collide with
# whatever else registers in prometheus_client's global one.
REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

_LATENCY_BUCKETS = (
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
)

RPC_CALLS = Counter(
    "gateway_rpc_calls_total",
    "RPC calls the gateway made, by outcome (ok, a typed error code, timeout, unavailable, ...).",
    ("service", "method", "outcome"),
    registry=REGISTRY,
)
RPC_DURATION = Histogram(
    "gateway_rpc_duration_seconds",
    "Time from publishing an RPC request to its reply or failure.",
    ("service", "method"),
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
RPC_IN_FLIGHT = Gauge(
    "gateway_rpc_in_flight",
    "RPC calls waiting for a reply.",
    registry=REGISTRY,
)
BROKER_CONNECTED = Gauge(
    "gateway_broker_connected",
    "1 while the gateway holds a working connection to RabbitMQ, else 0.",
    registry=REGISTRY,
)
BROKER_RECONNECTS = Counter(
    "gateway_broker_reconnects_total",
    "Connections to RabbitMQ re-established after one was lost.",
    registry=REGISTRY,
)
HTTP_REQUESTS = Counter(
    "gateway_http_requests_total",
    "HTTP requests answered, by route template and status.",
    ("method", "route", "status"),
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "gateway_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template.",
    ("method", "route"),
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)

AUTH_ATTEMPTS = Counter(
    "gateway_auth_attempts_total",
    "Sign-in, OTP and refresh attempts by method (password, otp, refresh) and outcome.",
    ("method", "outcome"),
    registry=REGISTRY,
)
AUTH_RATE_LIMITED = Counter(
    "gateway_auth_rate_limited_total",
    "Attempts refused with 429, by the limit that refused them.",
    ("kind",),
    registry=REGISTRY,
)


def observe_auth(method: str, outcome: str) -> None:
    AUTH_ATTEMPTS.labels(method, outcome).inc()


# Children of the labelled metrics, by label values: ``.labels()`` validates and locks on
# every call, several microseconds per request. The keys are the same label values the
# metrics hold anyway (route templates, never raw paths), so this grows no faster than they.
_http_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
_rpc_children: dict[tuple[str, str], tuple[Any, dict[str, Any]]] = {}


def observe_http(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered HTTP request and record how long it took."""
    key = (method, route, status)
    children = _http_children.get(key)
    if children is None:
        children = _http_children[key] = (
            HTTP_REQUESTS.labels(method, route, str(status)), HTTP_DURATION.labels(method, route),
        )
    children[0].inc()
    children[1].observe(seconds)


def observe_rpc(service: str, method: str, outcome: str, seconds: float) -> None:
    """Count one finished RPC call by outcome and record how long it took."""
    key = (service, method)
    children = _rpc_children.get(key)
    if children is None:
        children = _rpc_children[key] = (RPC_DURATION.labels(service, method), {})
    duration, calls = children
    counter = calls.get(outcome)
    if counter is None:
        counter = calls[outcome] = RPC_CALLS.labels(service, method, outcome)
    counter.inc()
    duration.observe(seconds)


def exposition() -> tuple[bytes, str]:
    """The registry in Prometheus text format, with its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
