"""The ``@rpc`` entrypoint every service uses instead of nameko's.

Differences from nameko's, each for a reason:
- a request whose caller's deadline (``nameko.deadline`` header) has passed is
  acknowledged and dropped unrun: the caller already answered 504, and running it
  later would surprise everyone;
- typed errors (``PlatformError``) are expected exceptions: logged as answers, not bugs;
- replies go out non-persistent and without publisher confirms: a reply only matters
  to a caller that is waiting on an exclusive queue, and confirms cost ~40% of a
  call's service-side time; a reply lost to a broker outage ends as the caller's 504;
- a reply that cannot be published never kills the container.
"""

from __future__ import annotations

import logging
import time

from nameko.amqp.publish import Publisher as CorePublisher
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    NON_PERSISTENT,
    SERIALIZER_CONFIG_KEY,
)
from nameko.rpc import Responder, Rpc, RpcConsumer, get_rpc_exchange

from services.common.amqp import PlatformQueueConsumer
from services.common.errors import PlatformError
from services.common.metrics import service_metrics

log = logging.getLogger(__name__)

DEADLINE_HEADER = "nameko.deadline"


class ReplyPublisher(CorePublisher):
    use_confirms = False
    delivery_mode = NON_PERSISTENT
    retry = False


class ReplyResponder(Responder):
    publisher_cls = ReplyPublisher


class PlatformRpcConsumer(RpcConsumer):
    queue_consumer = PlatformQueueConsumer()

    def handle_result(self, message, result, exc_info):
        config = self.container.config
        responder = ReplyResponder(
            config[AMQP_URI_CONFIG_KEY], get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER), message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY))
        try:
            result, exc_info = responder.send_response(result, exc_info)
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
                expired = time.time() > float(deadline)
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
