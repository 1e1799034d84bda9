"""Test helpers for the real RabbitMQ on loopback: read and clean queues."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from amqp.exceptions import NotFound as ChannelNotFound
from kombu import Connection

# tests/run.py points this at a throwaway virtual host per run, so tests never meet a
# platform running on the same broker (`make up`) or each other's leftovers.
AMQP_URI = os.environ.get("TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")


def amqp_uri_via(port: int, amqp_uri: str = AMQP_URI) -> str:
    """``amqp_uri`` reached through 127.0.0.1:``port`` (a test's TCP proxy), same vhost."""
    parts = urlsplit(amqp_uri)
    credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit((parts.scheme, f"{credentials}127.0.0.1:{port}", parts.path or "/",
                       parts.query, ""))


def queue_depth(name: str, amqp_uri: str = AMQP_URI) -> int | None:
    """Messages ready in queue ``name``; None if the queue does not exist."""
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        try:
            _, count, _ = channel.queue_declare(name, passive=True)
        except ChannelNotFound:
            return None
        return count


def get_message(name: str, amqp_uri: str = AMQP_URI) -> tuple[bytes, dict] | None:
    """Take one message from queue ``name``: (body, headers), or None if it is empty."""
    with Connection(amqp_uri) as connection:
        message = connection.default_channel.basic_get(name, no_ack=True)
        if message is None:
            return None
        return message.body, dict(message.properties.get("application_headers") or {})


def delete_queues(names, amqp_uri: str = AMQP_URI) -> None:
    _delete("queue_delete", names, amqp_uri)


def delete_exchanges(names, amqp_uri: str = AMQP_URI) -> None:
    _delete("exchange_delete", names, amqp_uri)


def _delete(verb: str, names, amqp_uri: str) -> None:
    with Connection(amqp_uri, connect_timeout=3) as connection:
        channel = connection.channel()
        for name in names:
            try:
                getattr(channel, verb)(name)
            except Exception:  # the broker closes the channel when it is already gone
                channel = connection.channel()
