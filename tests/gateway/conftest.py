"""Shared by the gateway's unit and integration tests: asyncio as the anyio backend, and a
migrated copy of the gateway's own database for every app a test builds."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.gateway.identity_kit import make_template, migrated_copy


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True, scope="session")
def _sockets_are_not_green() -> None:
    # The gateway runs on plain asyncio; a process monkey-patched for eventlet (where the
    # nameko tests run) would make these tests prove nothing about production.
    assert socket.socket.__module__ == "socket", "gateway tests must not run eventlet-patched"


@pytest.fixture(scope="session")
def gateway_db_template(tmp_path_factory) -> Path:
    """The gateway's database migrated once; tests get copies (a file copy is cheaper
    than running the migrations again)."""
    return make_template(tmp_path_factory.mktemp("gateway-db"))


@pytest.fixture
def gateway_db_url(gateway_db_template, tmp_path) -> str:
    return migrated_copy(gateway_db_template, tmp_path)
