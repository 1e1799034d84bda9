"""``python -m services.<name> migrate|run``: the one way to start a service."""

from __future__ import annotations

import argparse
import logging
import sys

from services.common import logging as platform_logging
from services.common.audit_anchor import anchor_settings
from services.common.engine import make_engine
from services.common.migrate import revisions, upgrade
from services.common.settings import nameko_config, service_settings

log = logging.getLogger(__name__)


def main(service_cls, argv: list[str] | None = None) -> int:
    name = service_cls.name
    parser = argparse.ArgumentParser(prog=f"python -m services.{name}")
    parser.add_argument("command", choices=("migrate", "run"),
                        help="migrate: bring the database to head; run: serve (schema "
                             "must be at head)")
    args = parser.parse_args(argv)
    settings = service_settings(name)
    platform_logging.configure(name, settings.log_level)
    url = settings.resolved_database_url()

    if args.command == "migrate":
        upgrade(name, url)
        log.info("database migrated to head")
        return 0

    try:
        service_cls.preflight()
        anchor_settings(name)  # production refuses to run without an anchoring key
    except (ValueError, RuntimeError) as exc:
        log.error("refusing to start: %s", exc)
        return 2

    engine = make_engine(url)
    try:
        current, head = revisions(name, engine)
    finally:
        engine.dispose()
    if current != head:
        log.error("database schema is at %s but the code needs %s: run "
                  "`python -m services.%s migrate` first", current, head, name)
        return 2

    from nameko.cli.run import run

    log.info("starting", extra={"max_workers": settings.max_workers,
                                "metrics_port": settings.metrics_port})
    run([service_cls], nameko_config(settings))
    return 0


def entry(service_cls) -> None:
    sys.exit(main(service_cls))
