"""``python -m gateway``: serve the gateway with uvicorn, one worker, settings from the env."""

from __future__ import annotations

import uvicorn

from gateway.logging import configure_logging
from gateway.settings import get_settings


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        "gateway.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        workers=1,
        lifespan="on",
        # Our middleware writes the access lines and the HTTP metrics.
        access_log=False,
        log_config=None,
        log_level=settings.log_level.lower(),
        server_header=False,
    )


if __name__ == "__main__":
    main()
