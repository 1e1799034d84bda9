"""The ``@rpc`` entrypoint every service uses instead of nameko's.

Differences from nameko's, each for a reason:
- a request whose caller's deadline (``nameko.deadline_ms`` header) has passed is
  acknowledged and dropped unrun: the caller already answered 504, and running it
  later would surprise everyone;
- typed errors (``PlatformError``) are expected exceptions: logged as answers, not bugs;
- replies go out non-persistent and without publisher confirms (a reply only matters
  to a caller waiting on an exclusive queue; one lost to a broker outage ends as the
  caller's 504), on one long-lived connection per process, every reply finished in one
  turn of the hub in one write (services/common/rpc_replies.py);
- a reply that cannot be published never kills the container;
- replies are JSON only (every caller here speaks JSON).
"""

from __future__ import annotations

import logging
import time

from kombu import Connection, Queue
from kombu.utils import json
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    LOGIN_METHOD_CONFIG_KEY,
)
from nameko.exceptions import UnserializableValueError, serialize
from nameko.rpc import Rpc, RpcConsumer, get_rpc_exchange

from services.common import topology
from services.common.amqp import PlatformQueueConsumer
from services.common.errors import PlatformError
from services.common.metrics import service_metrics
from services.common.rpc_replies import Reply, ReplyPublisher
from services.common.settings import service_settings

log = logging.getLogger(__name__)

# The caller's deadline, integer epoch milliseconds (gateway/rpc.py sets it).
DEADLINE_HEADER = "nameko.deadline_ms"


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
        # One reply connection per process (nameko builds, and parses the URL of, a new
        # connection description per reply), without confirms or heartbeats.
        reply_connection = Connection(
            config[AMQP_URI_CONFIG_KEY], ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
            transport_options={"confirm_publish": False}, heartbeat=0)
        self._replies = ReplyPublisher(reply_connection, get_rpc_exchange(config).name)

    def stop(self):
        super().stop()
        self._replies.close()

    def handle_result(self, message, result, exc_info):
        error = serialize(exc_info[1]) if exc_info is not None else None
        try:
            body = json.dumps({"result": result, "error": error})
        except (TypeError, ValueError):
            body = json.dumps({"result": None,
                               "error": serialize(UnserializableValueError(result))})
        # The work has committed: the ack is owed first, so its flush (after this hub
        # turn) leaves before the reply's and a caller never holds an answer to a request
        # the broker could still redeliver (ADR 0013).
        self.queue_consumer.ack_message(message)
        reply_to = message.properties.get("reply_to")
        if reply_to:
            # Published right after this hub turn, with the other replies of the turn;
            # a reply that cannot be published is logged there, never raised here.
            self._replies.publish(Reply(body.encode(), reply_to,
                                        message.properties.get("correlation_id")))
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
