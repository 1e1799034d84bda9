"""Test helpers for the real RabbitMQ on loopback: read and clean queues."""

from __future__ import annotations

import os

from amqp.exceptions import NotFound as ChannelNotFound
from kombu import Connection

AMQP_URI = os.environ.get("TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")


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
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        for name in names:
            try:
                channel.queue_delete(name)
            except Exception:
                channel = connection.channel()
                continue
