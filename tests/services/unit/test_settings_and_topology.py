"""Settings per service from the environment; topology names; handler registry."""

import importlib
import inspect

import pytest
from pydantic import ValidationError

from services.common import topology
from services.common.settings import SERVICE_NAMES, ServiceSettings, service_settings
from tests.support import probe


def test_each_service_reads_its_own_prefixed_settings(monkeypatch):
    monkeypatch.setenv("REGISTRY_DATABASE_URL", "postgresql://db/registry")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/everyone")  # must not leak
    monkeypatch.setenv("REGISTRY_METRICS_PORT", "9999")
    monkeypatch.setenv("AMQP_URI", "amqp://u:p@broker:5672/")
    service_settings.cache_clear()
    try:
        registry, elections = service_settings("registry"), service_settings("elections")
    finally:
        service_settings.cache_clear()
    assert registry.resolved_database_url() == "postgresql://db/registry"
    assert registry.metrics_port == 9999
    assert elections.resolved_database_url().endswith("data/elections.db")
    assert elections.metrics_port == 9102
    assert registry.amqp_uri == elections.amqp_uri == "amqp://u:p@broker:5672/"


def test_retry_delays_parse_and_are_bounded(monkeypatch):
    monkeypatch.setenv("EVENT_RETRY_DELAYS", "0.5, 2,30")
    assert ServiceSettings(service_name="x").event_retry_delays == (0.5, 2.0, 30.0)
    for bad in ("", "0", "1,2,3,4,5,6", "-1", "abc"):
        monkeypatch.setenv("EVENT_RETRY_DELAYS", bad)
        with pytest.raises(ValidationError):
            ServiceSettings(service_name="x")


def test_queue_names_follow_nameko_so_its_handlers_find_them():
    sub = topology.Subscription("registry", "society_registered", "notify", "on_registered")
    assert sub.queue_name == "evt-registry-society_registered--notify.on_registered"
    names = [q.name for q in topology.side_queues(sub.queue_name)]
    assert names[0] == sub.queue_name + ".retry.1"
    assert names[-1] == sub.queue_name + ".dead"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_every_event_handler_is_declared_in_the_topology(name):
    module = importlib.import_module(f"services.{name}.service")
    service_cls = next(o for o in vars(module).values()
                       if inspect.isclass(o) and getattr(o, "name", None) == name)
    assert set(topology.handlers_of(service_cls)) <= set(topology.SUBSCRIPTIONS)


def test_handlers_are_found_on_a_service_class():
    _source, sink, subscriptions = probe.make_pair("unit")
    assert topology.handlers_of(sink) == list(subscriptions)
    assert not set(topology.handlers_of(sink)) <= set(topology.SUBSCRIPTIONS)
