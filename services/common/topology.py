"""Every event consumer queue, its retry queues and its dead-letter queue, declared
the same way by the deploy step, by the publishing service's outbox relay and by the
consuming handler, so no event waits on start order and none is published into a void.

Run ``python -m services.common.topology`` once per deploy (``make up`` does).

Per consumer queue ``Q`` (nameko's name ``evt-<source>-<event>--<service>.<method>``):
- ``Q`` bound to ``<source>.events`` with the event type as routing key;
- ``Q.retry.<n>`` for the n-th retry: messages wait there for their per-message TTL,
  then the broker dead-letters them back into ``Q`` (default exchange, key ``Q``);
- ``Q.dead``: events that failed every retry, kept for a person to inspect.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

from kombu import Connection, Exchange, Queue

MAX_RETRY_LEVELS = 5
QUEUE_TYPES = ("classic", "quorum")


@dataclass(frozen=True)
class Subscription:
    source: str          # service that publishes the event
    event_type: str
    consumer: str        # consuming service
    method: str          # its handler method

    @property
    def queue_name(self) -> str:
        return f"evt-{self.source}-{self.event_type}--{self.consumer}.{self.method}"


def _collect() -> tuple[Subscription, ...]:
    """Every service lists the events it handles in ``services/<name>/subscriptions.py``
    (``HANDLED``: (source service, event type, handler method) triples); the relay of a
    source service declares the queues of all of them before it publishes."""
    from services.common.settings import SERVICE_NAMES

    found = []
    for consumer in SERVICE_NAMES:
        module = importlib.import_module(f"services.{consumer}.subscriptions")
        found.extend(Subscription(source, event_type, consumer, method)
                     for source, event_type, method in module.HANDLED)
    return tuple(found)


# Every event handler of every service; tests/services check handlers against it.
SUBSCRIPTIONS: tuple[Subscription, ...] = _collect()


def handlers_of(service_cls) -> list[Subscription]:
    """The subscriptions a service class's ``@event_handler`` methods need."""
    from services.common.consumer import ReliableEventHandler

    found = []
    for attr in dir(service_cls):
        method = getattr(service_cls, attr, None)
        for entrypoint in getattr(method, "nameko_entrypoints", ()):
            if isinstance(entrypoint, ReliableEventHandler):
                found.append(Subscription(entrypoint.source_service, entrypoint.event_type,
                                          service_cls.name, attr))
    return found


def queue_arguments(queue_type: str) -> dict:
    """Arguments every durable queue of the platform is declared with. ``quorum`` (a
    replicated queue, for a RabbitMQ cluster) or ``classic`` (one node); a queue's type is
    fixed when it is first declared, so it is a deploy-time choice (``AMQP_QUEUE_TYPE``)."""
    if queue_type not in QUEUE_TYPES:
        raise ValueError(f"queue type must be one of {QUEUE_TYPES}")
    return {"x-queue-type": queue_type} if queue_type == "quorum" else {}


def consumer_queue(sub: Subscription, queue_type: str = "classic") -> Queue:
    exchange = Exchange(f"{sub.source}.events", type="topic", durable=True)
    return Queue(sub.queue_name, exchange=exchange, routing_key=sub.event_type,
                 durable=True, auto_delete=False, queue_arguments=queue_arguments(queue_type))


def retry_queue_name(queue_name: str, level: int) -> str:
    return f"{queue_name}.retry.{level}"


def dead_queue_name(queue_name: str) -> str:
    return f"{queue_name}.dead"


def side_queues(queue_name: str, queue_type: str = "classic") -> list[Queue]:
    """The retry and dead-letter queues that belong to consumer queue ``queue_name``."""
    args = queue_arguments(queue_type)
    queues = [
        Queue(retry_queue_name(queue_name, level), durable=True, auto_delete=False,
              queue_arguments={**args, "x-dead-letter-exchange": "",
                               "x-dead-letter-routing-key": queue_name})
        for level in range(1, MAX_RETRY_LEVELS + 1)
    ]
    queues.append(Queue(dead_queue_name(queue_name), durable=True, auto_delete=False,
                        queue_arguments=args))
    return queues


def declare_subscription(channel, sub: Subscription, queue_type: str = "classic") -> None:
    consumer_queue(sub, queue_type)(channel).declare()
    for queue in side_queues(sub.queue_name, queue_type):
        queue(channel).declare()


def declare_for_source(channel, source: str, subscriptions=None,
                       queue_type: str = "classic") -> None:
    """Declare the queues of every subscription to ``source``'s events."""
    for sub in SUBSCRIPTIONS if subscriptions is None else subscriptions:
        if sub.source == source:
            declare_subscription(channel, sub, queue_type)


def declare_all(amqp_uri: str, subscriptions=None, queue_type: str = "classic") -> int:
    subs = SUBSCRIPTIONS if subscriptions is None else subscriptions
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        for sub in subs:
            declare_subscription(channel, sub, queue_type)
    return len(subs)


def main() -> int:
    from services.common.settings import ServiceSettings

    settings = ServiceSettings(service_name="topology")
    count = declare_all(settings.amqp_uri, queue_type=settings.amqp_queue_type)
    print(f"declared {count} event subscriptions ({settings.amqp_queue_type} queues)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
