"""Run a probe service (tests/support/probe.py) the way a real service runs, through the
chassis's own command line: ``migrate`` brings its database to head with Alembic, ``run``
refuses a database that is not at head and then serves, and ``health`` checks the schema
revision like any service's. Settings come from the environment as for a real service
(``PROBESRC<S>_DATABASE_URL``, ``PROBESRC<S>_METRICS_PORT``, ``AMQP_URI`` ...)::

    python -m tests.support.probe_service --suffix S --role source migrate
    python -m tests.support.probe_service --suffix S --role source run
"""

from services.common import green

green.patch()

import argparse  # noqa: E402
import sys  # noqa: E402
import types  # noqa: E402

from services.common import cli  # noqa: E402
from tests.support import probe, probe_migrations  # noqa: E402


def register_migrations(service_name: str) -> None:
    """The chassis finds a service's migrations beside ``services.<name>``; make the probe's
    name resolve to tests/support/probe_migrations."""
    alias = types.ModuleType(f"services.{service_name}")
    alias.__file__ = probe_migrations.__file__
    sys.modules[alias.__name__] = alias


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.probe_service")
    parser.add_argument("--suffix", required=True)
    parser.add_argument("--role", choices=("source", "sink"), required=True)
    parser.add_argument("command", choices=("migrate", "run"))
    args = parser.parse_args(argv)
    source, sink, _subscriptions = probe.make_pair(args.suffix)
    service_cls = source if args.role == "source" else sink
    register_migrations(service_cls.name)
    return cli.main(service_cls, [args.command])


if __name__ == "__main__":
    sys.exit(main())
