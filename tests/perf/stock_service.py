"""Bench-only twin of the probe source service whose RPCs use nameko's stock
``nameko.rpc.rpc`` entrypoint (replies persistent and published with confirms) instead
of the chassis's lean one. Everything else is as in tests/support/probe.py: the same
dependencies (metrics, caller context, the ``Database`` provider with its outbox relay),
the same ``get_note`` query, the same settings and worker count.

``python -m tests.perf.stock_service --suffix S`` runs ``probestock<S>``; its database
URL comes from ``PROBESTOCK<S>_DATABASE_URL`` (a probe schema, tests.support.probe).
"""

from services.common import green

green.patch()

import argparse  # noqa: E402

from nameko.cli.run import run  # noqa: E402
from nameko.rpc import rpc  # noqa: E402

from services.common import logging as platform_logging  # noqa: E402
from services.common.context import Caller  # noqa: E402
from services.common.database import Database  # noqa: E402
from services.common.errors import NotFound  # noqa: E402
from services.common.metrics import Metrics  # noqa: E402
from services.common.settings import nameko_config, service_settings  # noqa: E402
from tests.support import probe  # noqa: E402


def make_stock_service(suffix: str):
    # Not a PlatformService: its health RPCs use the chassis entrypoint, and two RPC
    # consumer kinds on one service would share its queue.
    class StockSource:
        name = f"probestock{suffix}"
        metrics = Metrics()
        caller = Caller()
        db = Database(probe.platform, subscriptions=())

        @rpc
        def echo(self, payload):
            return payload

        @rpc
        def get_note(self, payload):
            with self.db.read() as session:
                row = session.execute(probe.NOTE_BY_ID, {"id": payload["id"]}).first()
            if row is None:
                raise NotFound("No such note.", {"id": payload["id"]})
            return probe.NoteOut(id=row.id, text=row.text).wire()

    return StockSource


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suffix", required=True)
    args = parser.parse_args()
    service_cls = make_stock_service(args.suffix)
    settings = service_settings(service_cls.name)
    platform_logging.configure(service_cls.name, settings.log_level)
    run([service_cls], nameko_config(settings))


if __name__ == "__main__":
    main()
