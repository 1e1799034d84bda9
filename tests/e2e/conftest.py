"""End-to-end fixtures: probe platforms of real processes, a cuttable broker link.

This process stays plain Python (no eventlet, no nameko): services and the gateway run
as subprocesses, and the tests drive them over HTTP and read their databases with SQL.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterator

import pytest

from tests.e2e.harness import AMQP_URI, ProbePlatform
from tests.support import pg
from tests.support.tcp_proxy import TcpProxy


@pytest.fixture(scope="session", autouse=True)
def _plain_process_and_live_backends() -> None:
    assert "eventlet" not in sys.modules or not _sockets_green(), (
        "end-to-end tests must run in a process that eventlet has not patched")
    for host, port, what in (("127.0.0.1", 5672, "RabbitMQ"), ("127.0.0.1", 5432, "PostgreSQL")):
        try:
            socket.create_connection((host, port), timeout=2).close()
        except OSError as exc:
            pytest.fail(f"{what} is not reachable at {host}:{port}: {exc}")
    # Fail early and clearly if the database server refuses us.
    name, _url = pg.create_database("e2e")
    pg.drop_database(name)


def _sockets_green() -> bool:
    from eventlet import patcher

    return patcher.is_monkey_patched("socket")


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.stash[_FAILED] = True
    return report


@pytest.fixture
def make_platform(request, tmp_path) -> Iterator[Callable[..., ProbePlatform]]:
    """Factory: a probe platform (not started) for this test; killed and cleaned after it."""
    made: list[ProbePlatform] = []

    def make(**kwargs) -> ProbePlatform:
        log_dir = tmp_path / f"platform{len(made)}"
        log_dir.mkdir()
        platform = ProbePlatform(log_dir, **kwargs)
        made.append(platform)
        return platform

    yield make
    for platform in made:
        platform.close(show_logs=request.node.stash.get(_FAILED, False))


@pytest.fixture(scope="module")
def platform(request, tmp_path_factory) -> Iterator[ProbePlatform]:
    """A running probe platform shared by the tests of one module, on the real broker."""
    running = ProbePlatform(tmp_path_factory.mktemp("platform"), amqp_uri=AMQP_URI)
    try:
        running.start_all()
        yield running
    finally:
        running.close(show_logs=request.session.testsfailed > 0)


@pytest.fixture
def broker_proxy() -> Iterator[TcpProxy]:
    """A TCP proxy in front of RabbitMQ, in a process of its own."""
    with TcpProxy() as proxy:
        yield proxy
