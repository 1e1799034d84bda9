"""Looks at and replays events that failed every retry and wait in `<consumer queue>.dead`.

    python -m deploy.dead_letters list                 # every dead-letter queue and its count
    python -m deploy.dead_letters show QUEUE [-n 20]   # read messages, leave them in place
    python -m deploy.dead_letters replay QUEUE [-n N]  # move them back to the consumer queue

QUEUE is a consumer queue (``evt-<source>-<event>--<service>.<method>``) or its ``.dead``
queue. ``replay`` publishes each message back to the consumer queue (persistent, confirmed)
and only then removes it from the dead-letter queue, so a crash in between duplicates at
worst, which consumers skip. The retry count starts again from zero. AMQP_URI as everywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from kombu import Connection
from kombu.exceptions import OperationalError

from services.common.consumer import ATTEMPT_HEADER, ERROR_HEADER, FAILED_AT_HEADER
from services.common.topology import dead_queue_name

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
DEAD_SUFFIX = dead_queue_name("")
# Headers the consumer chassis sets on a dead-lettered event.
SHOWN_HEADERS = (ATTEMPT_HEADER, ERROR_HEADER, FAILED_AT_HEADER)


def _queues(name: str) -> tuple[str, str]:
    """(consumer queue, dead-letter queue) for either of the two names."""
    base = name[: -len(DEAD_SUFFIX)] if name.endswith(DEAD_SUFFIX) else name
    return base, base + DEAD_SUFFIX


def _count(channel, queue: str) -> int | None:
    try:
        return channel.queue_declare(queue=queue, passive=True).message_count
    except Exception:  # the broker closes the channel when the queue does not exist
        return None


def cmd_list(conn: Connection) -> int:
    from services.common import topology

    names = [topology.dead_queue_name(sub.queue_name) for sub in topology.SUBSCRIPTIONS]
    if not names:
        print("no event subscriptions are declared in services/common/topology.py")
        return 0
    for name in names:
        count = _count(conn.channel(), name)
        print(f"{'missing' if count is None else count:>8}  {name}")
    return 0


def _describe(message) -> str:
    headers = message.headers or {}
    shown = {key: headers[key] for key in SHOWN_HEADERS if key in headers}
    body = message.body.decode("utf-8", "replace") if isinstance(message.body, bytes) \
        else str(message.body)
    return json.dumps(shown, default=str) + "\n    " + body


def cmd_show(conn: Connection, queue: str, limit: int) -> int:
    _, dead = _queues(queue)
    channel = conn.channel()
    if _count(channel, dead) is None:
        print(f"no queue named {dead}", file=sys.stderr)
        return 1
    channel = conn.channel()
    shown = 0
    while shown < limit:
        message = channel.basic_get(queue=dead, no_ack=False)
        if message is None:
            break
        shown += 1
        print(f"[{shown}] {_describe(message)}")
    # Nothing was acked: closing the channel puts every message back where it was.
    channel.close()
    print(f"{shown} message(s) shown from {dead}; none removed")
    return 0


def cmd_replay(conn: Connection, queue: str, limit: int | None) -> int:
    target, dead = _queues(queue)
    if _count(conn.channel(), dead) is None or _count(conn.channel(), target) is None:
        print(f"{dead} or {target} does not exist", file=sys.stderr)
        return 1
    # The connection publishes with confirms (see main): basic_publish returns only once
    # the broker has the copy, and only then is the dead-lettered original acked.
    channel = conn.channel()
    moved = 0
    while limit is None or moved < limit:
        message = channel.basic_get(queue=dead, no_ack=False)
        if message is None:
            break
        headers = {k: v for k, v in (message.headers or {}).items() if k != ATTEMPT_HEADER}
        kept = {key: value for key, value in message.properties.items()
                if key in ("correlation_id", "message_id")}
        replayed = channel.prepare_message(
            message.body,
            content_type=message.properties.get("content_type"),
            content_encoding=message.properties.get("content_encoding"),
            headers=headers,
            properties={**kept, "delivery_mode": 2},
        )
        channel.basic_publish(replayed, exchange="", routing_key=target)
        channel.basic_ack(message.delivery_tag)
        moved += 1
    channel.close()
    print(f"{moved} message(s) moved from {dead} back to {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.dead_letters",
                                     description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="every dead-letter queue and how many messages it holds")
    show = sub.add_parser("show", help="read messages without removing them")
    show.add_argument("queue")
    show.add_argument("-n", type=int, default=20, help="at most this many (20)")
    replay = sub.add_parser("replay", help="move messages back to the consumer queue")
    replay.add_argument("queue")
    replay.add_argument("-n", type=int, default=None, help="at most this many (all)")
    args = parser.parse_args(argv)

    uri = os.environ.get("AMQP_URI") or DEFAULT_AMQP_URI
    try:
        with Connection(uri, connect_timeout=5,
                        transport_options={"confirm_publish": True}) as conn:
            conn.ensure_connection(max_retries=1)
            if args.command == "list":
                return cmd_list(conn)
            if args.command == "show":
                return cmd_show(conn, args.queue, args.n)
            return cmd_replay(conn, args.queue, args.n)
    except OperationalError as exc:
        print(f"cannot reach RabbitMQ ({exc}); is AMQP_URI right?", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
