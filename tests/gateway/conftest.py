"""Shared by the gateway's unit and integration tests: asyncio as the anyio backend."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True, scope="session")
def _sockets_are_not_green() -> None:
    # The gateway runs on plain asyncio; a process monkey-patched for eventlet (where the
    # nameko tests run) would make these tests prove nothing about production.
    assert socket.socket.__module__ == "socket", "gateway tests must not run eventlet-patched"
