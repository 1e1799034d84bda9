"""``@event_handler``: nameko's event handler made lossless.

nameko's own acks and drops an event whose handler raises. This one, on failure,
publishes the event (with publisher confirms) to the queue's next retry queue, whose
TTL returns it to the handler after ``EVENT_RETRY_DELAYS[n]``; after the last retry,
or at once for a typed error (retrying a bad event cannot help), it goes to
``<queue>.dead`` for a person to inspect. Only then is the original acked; if even
that publish fails the original is requeued. Handlers apply each event once with
``uow.claim_event()`` and are acked only after their transaction commits.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from kombu import Connection
from nameko.amqp.publish import get_producer
from nameko.events import SERVICE_POOL, EventHandler
from nameko.messaging import Consumer

from services.common import topology
from services.common.amqp import PlatformQueueConsumer
from services.common.errors import PlatformError
from services.common.metrics import service_metrics
from services.common.settings import service_settings

log = logging.getLogger(__name__)

ATTEMPT_HEADER = "x-platform-attempt"
ERROR_HEADER = "x-platform-error"
FAILED_AT_HEADER = "x-platform-failed-at"
_FAST_FAIL = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2,
              "interval_max": 0.5}


class ReliableEventHandler(EventHandler):
    queue_consumer = PlatformQueueConsumer()

    def __init__(self, source_service, event_type, **kwargs):
        super().__init__(source_service, event_type, handler_type=SERVICE_POOL,
                         reliable_delivery=True, requeue_on_error=False, **kwargs)

    def setup(self):
        name = self.container.service_name
        self.subscription = topology.Subscription(self.source_service, self.event_type,
                                                  name, self.method_name)
        settings = service_settings(name)
        self.queue_type = settings.amqp_queue_type
        self.queue = topology.consumer_queue(self.subscription, self.queue_type)
        self.retry_delays = settings.event_retry_delays
        self.metrics = service_metrics(name)
        self.amqp_uri = self.container.config["AMQP_URI"]
        with Connection(self.amqp_uri) as connection:
            topology.declare_subscription(connection.channel(), self.subscription,
                                          self.queue_type)
        Consumer.setup(self)

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        exc = exc_info[1]
        headers = dict(message.headers or {})
        attempt = int(headers.get(ATTEMPT_HEADER, 0)) + 1
        retry = attempt <= len(self.retry_delays) and not isinstance(exc, PlatformError)
        queue_name = self.subscription.queue_name
        target = (topology.retry_queue_name(queue_name, attempt) if retry
                  else topology.dead_queue_name(queue_name))
        headers.update({ATTEMPT_HEADER: attempt, ERROR_HEADER: repr(exc)[:1000],
                        FAILED_AT_HEADER: datetime.now(UTC).isoformat()})
        try:
            with get_producer(self.amqp_uri, True, transport_options=dict(_FAST_FAIL)) as prod:
                prod.publish(
                    message.body, exchange="", routing_key=target, headers=headers,
                    content_type=message.content_type,
                    content_encoding=message.content_encoding,
                    message_id=message.properties.get("message_id"), delivery_mode=2,
                    expiration=self.retry_delays[attempt - 1] if retry else None,
                    retry=False)
        except Exception as publish_exc:
            log.warning("failed event could not be parked; requeued instead",
                        extra={"queue": queue_name, "error": repr(publish_exc)})
            self.queue_consumer.requeue_message(message)
            return
        labels = (self.source_service, self.event_type)
        if retry:
            self.metrics.events_retried.labels(*labels).inc()
            log.warning("event handler failed; retry %s scheduled", attempt,
                        extra={"queue": queue_name, "error": repr(exc)})
        else:
            self.metrics.events_dead_lettered.labels(*labels).inc()
            log.error("event handler failed for good; event dead-lettered",
                      extra={"queue": target, "attempts": attempt, "error": repr(exc)})
        self.queue_consumer.ack_message(message)


event_handler = ReliableEventHandler.decorator
