"""The ``@rpc`` entrypoint every service uses instead of nameko's.

Differences from nameko's, each for a reason:
- a request whose caller's deadline (``nameko.deadline_ms`` header) has passed is
  acknowledged and dropped unrun: the caller already answered 504, and running it
  later would surprise everyone;
- typed errors (``PlatformError``) are expected exceptions: logged as answers, not bugs;
- replies go out non-persistent and without publisher confirms (a reply only matters
  to a caller waiting on an exclusive queue; one lost to a broker outage ends as the
  caller's 504), through one reused connection description and kombu's producer pool;
- a reply that cannot be published never kills the container;
- replies are JSON only (every caller here speaks JSON).
"""

from __future__ import annotations

import logging
import time

from kombu import Connection, Queue
from kombu.pools import producers
from kombu.utils import json
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    LOGIN_METHOD_CONFIG_KEY,
    NON_PERSISTENT,
)
from nameko.exceptions import UnserializableValueError, serialize
from nameko.rpc import Rpc, RpcConsumer, get_rpc_exchange

from services.common import topology
from services.common.amqp import PlatformQueueConsumer
from services.common.errors import PlatformError
from services.common.metrics import service_metrics
from services.common.settings import service_settings

log = logging.getLogger(__name__)

# The caller's deadline, integer epoch milliseconds (gateway/rpc.py sets it).
DEADLINE_HEADER = "nameko.deadline_ms"
# One quick reconnect for a pooled connection the broker dropped; then give up.
_REPLY_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                "interval_max": 0.2}


class PlatformRpcConsumer(RpcConsumer):
    queue_consumer = PlatformQueueConsumer()

    def setup(self):
        super().setup()
        queue_type = service_settings(self.container.service_name).amqp_queue_type
        if queue_type != "classic" and self.queue is not None:
            # nameko declares rpc-<service> itself; the same queue, of the deploy's type.
            self.queue = Queue(self.queue.name, exchange=self.queue.exchange,
                               routing_key=self.queue.routing_key, durable=True,
                               queue_arguments=topology.queue_arguments(queue_type))
        config = self.container.config
        # One connection description for every reply: nameko builds (and parses the URL
        # of) a new one per reply. kombu's producer pool keeps the live connections.
        self._reply_connection = Connection(
            config[AMQP_URI_CONFIG_KEY], ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
            transport_options={"confirm_publish": False}, heartbeat=0)
        self._reply_exchange = get_rpc_exchange(config)

    def handle_result(self, message, result, exc_info):
        error = serialize(exc_info[1]) if exc_info is not None else None
        try:
            body = json.dumps({"result": result, "error": error})
        except (TypeError, ValueError):
            body = json.dumps({"result": None,
                               "error": serialize(UnserializableValueError(result))})
        try:
            with producers[self._reply_connection].acquire(block=True) as producer:
                producer.publish(
                    body, exchange=self._reply_exchange,
                    routing_key=message.properties["reply_to"],
                    correlation_id=message.properties.get("correlation_id"),
                    content_type="application/json", content_encoding="utf-8",
                    delivery_mode=NON_PERSISTENT, retry=True, retry_policy=_REPLY_RETRY)
        except Exception as exc:
            log.warning("RPC reply could not be published; the caller will time out",
                        extra={"error": repr(exc)})
        self.queue_consumer.ack_message(message)
        return result, exc_info


class PlatformRpc(Rpc):
    rpc_consumer = PlatformRpcConsumer()

    def __init__(self, expected_exceptions=PlatformError, **kwargs):
        super().__init__(expected_exceptions=expected_exceptions, **kwargs)

    def handle_message(self, body, message):
        deadline = (message.headers or {}).get(DEADLINE_HEADER)
        if deadline is not None:
            try:
                expired = time.time() * 1000 > int(deadline)
            except (TypeError, ValueError):
                expired = False
            if expired:
                service_metrics(self.container.service_name).rpc_expired.labels(
                    self.method_name).inc()
                log.info("RPC request dropped: its caller's deadline has passed",
                         extra={"method": self.method_name})
                self.rpc_consumer.queue_consumer.ack_message(message)
                return
        super().handle_message(body, message)


rpc = PlatformRpc.decorator


def _register_typed_errors() -> None:
    """Let nameko rebuild our typed errors (not RemoteError) when one service calls
    another through nameko's own proxies."""
    from nameko.exceptions import get_module_path, registry

    from services.common.errors import TYPED_ERRORS

    for cls in TYPED_ERRORS.values():
        registry[get_module_path(cls)] = cls


_register_typed_errors()
