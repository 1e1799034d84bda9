"""``python -m gateway``: serve the gateway with uvicorn, one worker, settings from the env."""

from __future__ import annotations

from typing import Any

import uvicorn

from gateway.logging import configure_logging
from gateway.settings import get_settings

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


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    uvicorn.run("gateway.main:create_app", factory=True, host=settings.host,
                port=settings.port, log_level=settings.log_level.lower(), **SERVER_OPTIONS)


if __name__ == "__main__":
    main()
