"""Run the probe source or sink as its own process, as a real service runs:
``python -m tests.support.probe_main --suffix S --role source|sink``.
Its database URL comes from ``PROBESRC<S>_DATABASE_URL`` / ``PROBESINK<S>_DATABASE_URL``
(the schema must exist: ``tests.support.probe.create_schema``)."""

from services.common import green

green.patch()

import argparse  # noqa: E402
import logging  # noqa: E402

from nameko.cli.run import run  # noqa: E402

from services.common import logging as platform_logging  # noqa: E402
from services.common.settings import nameko_config, service_settings  # noqa: E402
from tests.support import probe  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suffix", required=True)
    parser.add_argument("--role", choices=("source", "sink"), required=True)
    args = parser.parse_args()
    source, sink, _subs = probe.make_pair(args.suffix)
    service_cls = source if args.role == "source" else sink
    settings = service_settings(service_cls.name)
    platform_logging.configure(service_cls.name, settings.log_level)
    logging.getLogger(__name__).info("probe starting", extra={"role": args.role})
    run([service_cls], nameko_config(settings))


if __name__ == "__main__":
    main()
