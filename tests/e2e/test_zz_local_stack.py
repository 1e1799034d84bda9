"""``make up``: one command brings the whole platform up on this machine, reports when it is
healthy, exposes every process's metrics, and stops cleanly on Ctrl-C.

It runs the real six services under their real names on the shared broker, so this file
runs last (pytest takes files in name order) and waits until no one else consumes those
names (tests/services starts them in-process under the same names).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time

import httpx
import pytest

from tests.e2e.harness import (
    PYTHON,
    REPO_ROOT,
    base_env,
    consumers_of,
    free_port,
    metric_value,
    wait_until,
)
from tests.support.broker import AMQP_URI

SERVICES = ("registry", "elections", "filings", "grievance", "notify", "documents")
UP_LIMIT_S = 90.0
STOP_LIMIT_S = 30.0


class Stack:
    """``python -m deploy.local_stack`` as a child, its output collected line by line."""

    def __init__(self, env: dict[str, str]):
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "deploy.local_stack"], cwd=REPO_ROOT, env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, errors="replace", start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def line(self, pattern: str) -> re.Match | None:
        for line in list(self.lines):
            if match := re.search(pattern, line):
                return match
        return None

    def children(self) -> dict[str, int]:
        """Process ids the runner reported for each child it started."""
        started = self.line(r"\[stack\] started (.*)")
        if started is None:
            return {}
        return {name: int(pid) for name, pid in re.findall(r"(\w+) \(pid (\d+)\)",
                                                             started.group(1))}

    def output(self, last: int = 60) -> str:
        return "\n".join(self.lines[-last:])

    def kill_everything(self) -> None:
        """Clean-up after a failure: the runner and every child group it made."""
        for pid in [self.proc.pid, *self.children().values()]:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.proc.wait(timeout=10)
        self._reader.join(timeout=5)


def group_alive(pgid: int) -> bool:
    """Whether any process is left in process group ``pgid`` (each child of the runner
    leads a group of its own, so this also finds anything the child started)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def stack_env(tmp_path) -> dict[str, str]:
    wait_until(lambda: all(consumers_of(f"rpc-{name}") == 0 for name in SERVICES), 30,
               "other processes to stop consuming the real services' queues")
    env = base_env(DATA_DIR=str(tmp_path / "data"), GATEWAY_HOST="127.0.0.1",
                   GATEWAY_PORT=str(free_port()))
    for name in SERVICES:
        env[f"{name.upper()}_METRICS_PORT"] = str(free_port())
        env.pop(f"{name.upper()}_DATABASE_URL", None)
    for inherited in ("GATEWAY_SERVICES", "GATEWAY_RPC_TIMEOUT"):
        env.pop(inherited, None)
    env["AMQP_URI"] = AMQP_URI
    return env


def test_make_up_serves_the_whole_platform_and_stops_cleanly_on_ctrl_c(stack_env):
    gateway = f"http://127.0.0.1:{stack_env['GATEWAY_PORT']}"
    started = time.monotonic()
    stack = Stack(stack_env)
    try:
        wait_until(lambda: stack.line(r"^Platform is up: ") or stack.proc.poll() is not None,
                   UP_LIMIT_S, "the 'Platform is up' line", interval=0.2)
        assert stack.proc.poll() is None, f"the runner exited:\n{stack.output()}"
        up_after = time.monotonic() - started
        assert stack.line(rf"^Platform is up: {re.escape(gateway)} ")
        children = stack.children()
        assert set(children) == {*SERVICES, "gateway"}, stack.output()

        health = httpx.get(f"{gateway}/health", timeout=10)
        assert health.status_code == 200, health.text
        body = health.json()
        assert body["ok"] is True
        assert body["broker"]["connected"] is True
        assert set(body["services"]) == set(SERVICES)
        assert all(service["ok"] for service in body["services"].values()), body

        for name in SERVICES:
            port = stack_env[f"{name.upper()}_METRICS_PORT"]
            page = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
            assert page.status_code == 200, name
            assert f"{name}_rpc_calls_total" in page.text, name
            answered = metric_value(page.text,
                                    f'{name}_rpc_calls_total{{method="health",outcome="ok"}}')
            assert answered and answered >= 1, f"{name} counted no health call"

        gateway_metrics = httpx.get(f"{gateway}/metrics", timeout=5)
        assert gateway_metrics.status_code == 200
        assert metric_value(gateway_metrics.text, "gateway_broker_connected") == 1
        assert "gateway_http_requests_total" in gateway_metrics.text

        stopping = time.monotonic()
        stack.proc.send_signal(signal.SIGINT)  # what Ctrl-C in its terminal delivers
        code = stack.proc.wait(timeout=STOP_LIMIT_S)
        stopped_after = time.monotonic() - stopping
        stack._reader.join(timeout=5)
    except BaseException:
        print(f"\nlocal stack output:\n{stack.output()}")
        stack.kill_everything()
        raise

    print(f"\nmake up: platform up in {up_after:.1f} s, stopped in {stopped_after:.1f} s")
    assert code == 0, stack.output()
    assert stack.line(r"\[stack\] stopped$"), stack.output()
    left = {name: pid for name, pid in children.items() if group_alive(pid)}
    assert not left, f"processes still running after the runner exited: {left}"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{gateway}/health/live", timeout=2)
