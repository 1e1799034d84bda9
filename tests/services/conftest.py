"""Fixtures for the nameko side: real RabbitMQ, real PostgreSQL, service containers."""

from __future__ import annotations

import os

import pytest

# Short retry delays so a failing handler reaches its dead-letter queue in seconds.
os.environ.setdefault("EVENT_RETRY_DELAYS", "0.2,0.4")
os.environ.setdefault("OUTBOX_POLL_SECONDS", "0.5")
# Services under test use the tests' broker (a throwaway vhost under tests/run.py).
os.environ["AMQP_URI"] = os.environ.get("TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")

from nameko.containers import ServiceContainer
from nameko.standalone.rpc import ClusterRpcProxy

from services.common import topology
from services.common.settings import nameko_config, service_settings
from tests.support import pg
from tests.support.broker import AMQP_URI, delete_queues


@pytest.fixture
def pg_database():
    """Factory: a fresh PostgreSQL database per call, dropped after the test."""
    created = []

    def make(prefix: str = "svc") -> str:
        name, url = pg.create_database(prefix)
        created.append(name)
        return url

    yield make
    for name in created:
        pg.drop_database(name)


@pytest.fixture
def containers(monkeypatch):
    """Factory: start a service class in a nameko container on its own database."""
    started: list[ServiceContainer] = []
    queues: set[str] = set()

    def start(service_cls, database_url: str, subscriptions=()) -> ServiceContainer:
        prefix = service_cls.name.upper()
        monkeypatch.setenv(f"{prefix}_DATABASE_URL", database_url)
        monkeypatch.setenv(f"{prefix}_METRICS_PORT", "0")
        service_settings.cache_clear()
        container = ServiceContainer(service_cls, nameko_config(service_settings(
            service_cls.name)))
        container.start()
        started.append(container)
        queues.add(f"rpc-{service_cls.name}")
        # The container declares a queue for every event its service handles, and its
        # outbox relay those of every consumer of what it publishes, whether the test asked
        # for them or not; left behind, they would fill with the next tests' events and hand
        # the next container of the consumer a backlog.
        declared = [s for s in topology.SUBSCRIPTIONS
                    if service_cls.name in (s.consumer, s.source)]
        for sub in [*subscriptions, *declared]:
            queues.add(sub.queue_name)
            queues.update(q.name for q in topology.side_queues(sub.queue_name))
        return container

    yield start
    for container in reversed(started):
        container.kill()
    delete_queues(sorted(queues))
    service_settings.cache_clear()


@pytest.fixture
def rpc_proxy():
    """Factory: nameko's standalone proxy with the context headers a gateway sends."""
    opened = []

    def open_proxy(timeout: float = 10, **context_data):
        proxy = ClusterRpcProxy({"AMQP_URI": AMQP_URI}, timeout=timeout,
                                context_data=context_data)
        opened.append(proxy)
        return proxy.start()

    yield open_proxy
    for proxy in opened:
        proxy.stop()
