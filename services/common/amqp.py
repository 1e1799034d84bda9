"""The broker connection every entrypoint of a service shares, tuned to come back
quickly: kombu's default reconnect backoff grows to 30 s; ours stays within 2 s,
so consumers resume within seconds of the broker's return."""

from __future__ import annotations

from contextlib import contextmanager

from nameko.messaging import QueueConsumer


class PlatformQueueConsumer(QueueConsumer):
    @contextmanager
    def establish_connection(self):
        with self.create_connection() as conn:
            conn.ensure_connection(self.on_connection_error, self.connect_max_retries,
                                   interval_start=0.2, interval_step=0.4, interval_max=2.0)
            yield conn
