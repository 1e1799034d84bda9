"""``python -m gateway [run|migrate|create-admin --username NAME]``.

- ``run`` (also the bare command): serve with uvicorn, one worker; refuses to start while
  the gateway's database is not at head.
- ``migrate``: bring the gateway's own database to head (once per deploy, not per replica).
- ``create-admin --username NAME``: the first administrator. The password is read from
  the terminal (asked twice, never echoed) or, when standard input is not a terminal,
  from its first line. There is no default password anywhere.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from typing import Any

import uvicorn

from gateway.logging import configure_logging
from gateway.settings import GatewaySettings, get_settings

log = logging.getLogger("gateway")

# How every gateway process is served (the benchmarks use the same, tests/perf).
SERVER_OPTIONS: dict[str, Any] = {
    "loop": "uvloop",
    "http": "httptools",
    "workers": 1,
    "lifespan": "on",
    # Our middleware writes the access lines and the HTTP metrics.
    "access_log": False,
    "log_config": None,
    "server_header": False,
}

EXIT_OK, EXIT_FAILED, EXIT_SCHEMA = 0, 1, 2


def schema_at_head(settings: GatewaySettings) -> bool:
    from services.common.engine import make_engine
    from services.common.migrate import revisions

    engine = make_engine(settings.resolved_database_url, reads=True)
    try:
        current, head = revisions("gateway", engine)
    finally:
        engine.dispose()
    if current != head:
        log.error("the gateway's database schema is at %s but the code needs %s: run "
                  "`python -m gateway migrate` first", current, head)
        return False
    return True


def migrate(settings: GatewaySettings) -> int:
    from services.common.migrate import upgrade

    upgrade("gateway", settings.resolved_database_url)
    log.info("the gateway's database is at head")
    return EXIT_OK


def run(settings: GatewaySettings) -> int:
    if not schema_at_head(settings):
        return EXIT_SCHEMA
    uvicorn.run("gateway.main:create_app", factory=True, host=settings.host,
                port=settings.port, log_level=settings.log_level.lower(), **SERVER_OPTIONS)
    return EXIT_OK


def read_password(stdin: Any = None) -> str | None:
    """From the terminal (twice, must match) or the first line of a pipe."""
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass("Password for the new administrator: ")
        second = getpass.getpass("The same password again: ")
        if first != second:
            print("The two passwords differ.", file=sys.stderr)
            return None
        return first
    return stdin.readline().rstrip("\r\n")


def create_admin(settings: GatewaySettings, username: str, stdin: Any = None) -> int:
    import os

    from gateway.identity import roles
    from gateway.identity.passwords import Passwords
    from gateway.identity.store import SYSTEM_ROLE, IdentityStore, audit_context
    from services.common.errors import Conflict, InvalidInput

    if not schema_at_head(settings):
        return EXIT_SCHEMA
    password = read_password(stdin)
    if not password:
        print("No password given.", file=sys.stderr)
        return EXIT_FAILED
    store = IdentityStore(
        settings.resolved_database_url,
        passwords=Passwords(time_cost=settings.argon2_time_cost,
                            memory_kib=settings.argon2_memory_kib,
                            parallelism=settings.argon2_parallelism),
        # The pepper keys OTP hashes and attempt counts only; creating an account needs
        # neither, so no configured secret is required here.
        pepper=os.urandom(32), refresh_seconds=settings.refresh_token_seconds,
        session_max_seconds=settings.session_max_seconds)
    ctx = audit_context(request_id="cli-" + os.urandom(8).hex(), actor_id="system",
                        actor_role=SYSTEM_ROLE, entrypoint="create-admin")
    try:
        account, _ = store.create_account(
            kind="staff", username=username, display_name=username, email=None, phone=None,
            ctx=ctx, password=password, must_change=False, grant_role=roles.ADMINISTRATOR)
    except (Conflict, InvalidInput) as exc:
        fields = exc.details.get("fields", {})
        reason = "; ".join(f"{name}: {why}" for name, why in fields.items())
        print(f"Refused: {exc.message}{' (' + reason + ')' if reason else ''}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        store.dispose()
    print(f"Administrator {account['username']} created (account {account['id']}).")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve (the default); the schema must be at head")
    commands.add_parser("migrate", help="bring the gateway's database to head")
    admin = commands.add_parser("create-admin", help="create the first administrator")
    admin.add_argument("--username", required=True)
    args = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level)
    if args.command == "migrate":
        return migrate(settings)
    if args.command == "create-admin":
        return create_admin(settings, args.username)
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())
