"""The broker connection every entrypoint of a service shares, tuned to come back
quickly: kombu's default reconnect backoff grows to 30 s; ours stays within 2 s,
so consumers resume within seconds of the broker's return. Its acks are sent together,
right after the hub turn in which their work finished (services/common/acks.py)."""

from __future__ import annotations

from contextlib import contextmanager

from nameko.messaging import QueueConsumer

from services.common.acks import BatchedAcks


class PlatformQueueConsumer(QueueConsumer):
    def __init__(self):
        super().__init__()
        self.acks = BatchedAcks()

    @contextmanager
    def establish_connection(self):
        with self.create_connection() as conn:
            conn.ensure_connection(self.on_connection_error, self.connect_max_retries,
                                   interval_start=0.2, interval_step=0.4, interval_max=2.0)
            yield conn

    @contextmanager
    def extra_context(self, connection, channel):
        # kombu's ConsumerMixin hook around a connection's consuming (kombu 5.7.0): the
        # acks decided while it was open leave before it closes.
        try:
            yield
        finally:
            self.acks.flush()

    def handle_message(self, provider, body, message):
        self.acks.delivered(message)
        super().handle_message(provider, body, message)

    def ack_message(self, message):
        # nameko's checks the connection and acks at once; ours after this hub turn.
        self.acks.finished(message)

    def requeue_message(self, message):
        self.acks.requeue(message)
