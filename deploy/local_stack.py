"""Runs the whole platform on one machine: migrations (six services' and the gateway's own),
broker topology, six services, gateway.

Usage, from the repository root (``make up`` does this after ``deploy/bootstrap.sh``)::

    .venv/bin/python -m deploy.local_stack                 # run until Ctrl-C
    .venv/bin/python -m deploy.local_stack --migrate-only  # every database to head

Settings come from the environment, as for every process of the platform: ``DATA_DIR``,
``AMQP_URI``, ``GATEWAY_HOST``, ``GATEWAY_PORT``, ``<NAME>_METRICS_PORT``, ``LOG_LEVEL``...
Children inherit them; ``DATA_DIR`` is made absolute first so every child agrees on it.

Every service and the gateway is a separate child process in a process group of its own, so a
Ctrl-C in the terminal reaches only this runner, which then stops each child exactly once
(SIGTERM, up to 10 s, then SIGKILL). Exit status: 0 after a requested stop (SIGINT, SIGTERM,
SIGHUP), 1 when something failed (a migration, the topology, a child that exited on its own,
or a gateway whose /health did not turn 200 in time), 2 for bad settings.
The service names and default ports come from the services' own settings module.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from services.common.settings import DEFAULT_METRICS_PORTS, SERVICE_NAMES

REPO_ROOT = Path(__file__).resolve().parent.parent
SERVICES = SERVICE_NAMES
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
START_TIMEOUT_S = 90.0
STOP_GRACE_S = 10.0
MIGRATE_TIMEOUT_S = 300.0
TOPOLOGY_TIMEOUT_S = 120.0
_NAME_WIDTH = max(len(name) for name in (*SERVICES, "gateway", "topology"))
_REQUESTED_STOP = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


class SettingsError(Exception):
    """A setting in the environment cannot be used."""


@dataclass(frozen=True)
class StackSettings:
    """What the runner itself needs to know; children read the same environment."""

    data_dir: Path
    amqp_uri: str
    gateway_host: str
    gateway_port: int
    metrics_ports: dict[str, int]

    @classmethod
    def from_env(cls, environ: dict[str, str]) -> StackSettings:
        data_dir = Path(environ.get("DATA_DIR") or "data").expanduser().resolve()
        ports = {
            name: _port(environ, f"{name.upper()}_METRICS_PORT", default, allow_zero=True)
            for name, default in DEFAULT_METRICS_PORTS.items()
        }
        return cls(
            data_dir=data_dir,
            amqp_uri=environ.get("AMQP_URI") or DEFAULT_AMQP_URI,
            gateway_host=environ.get("GATEWAY_HOST") or "127.0.0.1",
            gateway_port=_port(environ, "GATEWAY_PORT", 8000),
            metrics_ports=ports,
        )

    @property
    def gateway_url(self) -> str:
        """Where this machine reaches the gateway, even when it listens on every interface."""
        host = self.gateway_host
        if host in ("0.0.0.0", ""):  # noqa: S104 - not a bind, a translation of one
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.gateway_port}"

    def child_env(self, environ: dict[str, str]) -> dict[str, str]:
        env = dict(environ)
        env["DATA_DIR"] = str(self.data_dir)
        env["PYTHONUNBUFFERED"] = "1"
        # Certificates' QR codes point at this machine's gateway unless told otherwise.
        env.setdefault("DOCUMENTS_VERIFY_BASE_URL", f"{self.gateway_url}/v1/documents/verify/")
        # The children import services/ and gateway/ from this checkout even when the
        # project is not installed into the interpreter that runs them.
        env["PYTHONPATH"] = os.pathsep.join(
            part for part in (str(REPO_ROOT), environ.get("PYTHONPATH", "")) if part
        )
        return env


def _port(environ: dict[str, str], key: str, default: int, *, allow_zero: bool = False) -> int:
    raw = environ.get(key)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{key}={raw!r} is not a port number") from None
    low = 0 if allow_zero else 1
    if not low <= value <= 65535:
        raise SettingsError(f"{key}={value} is outside {low}..65535")
    return value


# --------------------------------------------------------------------------- output


class Console:
    """Serialises lines from many threads onto our stdout."""

    def __init__(self, stream=None):
        self._stream = stream or sys.stdout
        self._lock = threading.Lock()

    def say(self, message: str) -> None:
        self._write(f"[stack] {message}")

    def announce(self, line: str) -> None:
        """A line for people and scripts to spot: no prefix."""
        self._write(line)

    def child_line(self, name: str, line: str) -> None:
        self._write(f"{name:<{_NAME_WIDTH}} | {line}")

    def _write(self, text: str) -> None:
        with self._lock:
            try:
                self._stream.write(text + "\n")
                self._stream.flush()
            except (BrokenPipeError, ValueError):
                pass  # nobody reads our output any more; keep running regardless


def _pump(name: str, stream, console: Console) -> None:
    for raw in iter(stream.readline, b""):
        console.child_line(name, raw.decode("utf-8", "replace").rstrip("\r\n"))
    stream.close()


# --------------------------------------------------------------------------- children


def _parent_death_signal():
    """A preexec_fn that makes the kernel SIGTERM the child if this runner dies abruptly
    (SIGKILL, a crash): otherwise children in their own process groups would outlive it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def preexec() -> None:
        prctl(pr_set_pdeathsig, int(signal.SIGTERM))

    return preexec


_PREEXEC = _parent_death_signal()


class Child:
    """One process of the platform, in a process group of its own."""

    def __init__(self, name: str, module_args: Sequence[str], env: dict[str, str], *,
                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT):
        self.name = name
        self.args = [sys.executable, "-m", *module_args]
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
            self.args,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            process_group=0,
            preexec_fn=_PREEXEC,  # sets one kernel flag, nothing else
        )
        self.reader: threading.Thread | None = None

    def pump_to(self, console: Console) -> None:
        self.reader = threading.Thread(
            target=_pump, args=(self.name, self.proc.stdout, console),
            name=f"pump-{self.name}", daemon=True,
        )
        self.reader.start()

    @property
    def command(self) -> str:
        return " ".join(["python", *self.args[1:]])

    def poll(self) -> int | None:
        return self.proc.poll()

    def signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.proc.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def stop_all(children: Sequence[Child], console: Console, hurry: threading.Event) -> None:
    """SIGTERM every live child's group once, wait up to STOP_GRACE_S, then SIGKILL."""
    alive = [child for child in children if child.poll() is None]
    if alive:
        console.say("stopping " + ", ".join(child.name for child in alive))
    for child in alive:
        child.signal_group(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    while alive and time.monotonic() < deadline and not hurry.is_set():
        time.sleep(0.1)
        alive = [child for child in alive if child.poll() is None]
    for child in alive:
        why = "a second signal came" if hurry.is_set() else f"no exit within {STOP_GRACE_S:.0f} s"
        console.say(f"killing {child.name} ({why})")
        child.signal_group(signal.SIGKILL)
    for child in children:
        try:
            child.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            console.say(f"{child.name} (pid {child.proc.pid}) is still there after SIGKILL")
        if child.reader is not None:
            child.reader.join(timeout=2)


# --------------------------------------------------------------------------- checks


def _answers(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def check_ports_free(settings: StackSettings) -> list[str]:
    """Ports our children would listen on that something already holds."""
    taken = []
    if _answers("127.0.0.1", settings.gateway_port, 0.5):
        taken.append(f"GATEWAY_PORT={settings.gateway_port}")
    for name, port in settings.metrics_ports.items():
        if port and _answers("127.0.0.1", port, 0.5):
            taken.append(f"{name.upper()}_METRICS_PORT={port}")
    return taken


def check_broker(settings: StackSettings) -> str | None:
    """None when the broker accepts TCP connections, else why not."""
    parts = urlsplit(settings.amqp_uri)
    host = parts.hostname or "127.0.0.1"
    try:
        port = parts.port or (5671 if parts.scheme == "amqps" else 5672)
    except ValueError:
        return "AMQP_URI has an invalid port"
    if _answers(host, port, 3.0):
        return None
    return f"RabbitMQ does not answer at {host}:{port} (from AMQP_URI)"


def probe_health(url: str) -> tuple[int | None, str]:
    """Status and the start of the body of GET url; (None, reason) when nothing answered."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    try:
        with opener.open(url, timeout=2.0) as response:
            return response.status, response.read(300).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(300).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, str(reason)


# --------------------------------------------------------------------------- phases


class Runner:
    """The run of one stack: phases in order, stopping early on a signal or a failure."""

    def __init__(self, settings: StackSettings, console: Console, environ: dict[str, str]):
        self.settings = settings
        self.console = console
        self.env = settings.child_env(environ)
        self.stop = threading.Event()
        self.hurry = threading.Event()
        self.stop_signal: str | None = None

    def on_signal(self, signum, _frame) -> None:
        if self.stop.is_set():
            self.hurry.set()  # a second Ctrl-C: no more grace
            return
        self.stop_signal = signal.Signals(signum).name
        self.stop.set()

    def _wait_batch(self, children: list[Child], timeout: float) -> bool:
        """Wait for short-lived children; False if stopped by a signal or timed out."""
        deadline = time.monotonic() + timeout
        while any(child.poll() is None for child in children):
            if self.stop.is_set() or time.monotonic() > deadline:
                stop_all(children, self.console, self.hurry)
                if not self.stop.is_set():
                    self.console.say(
                        f"gave up after {timeout:.0f} s: "
                        + ", ".join(child.command for child in children if child.poll() is None)
                    )
                return False
            self.stop.wait(0.1)
        return True

    def migrate(self) -> int | None:
        """Every service's migrations and the gateway's, side by side. None when all
        reached head."""
        self.console.say("migrating the six services' databases and the gateway's "
                         f"(DATA_DIR={self.settings.data_dir})")
        outputs = {}
        children = []
        # The gateway keeps accounts and sessions in a database of its own.
        commands = [(name, [f"services.{name}", "migrate"]) for name in SERVICES]
        commands.append(("gateway", ["gateway", "migrate"]))
        for name, module_args in commands:
            output = tempfile.TemporaryFile()  # closed below
            outputs[name] = output
            children.append(
                Child(name, module_args, self.env, stdout=output, stderr=subprocess.STDOUT)
            )
        started = time.monotonic()
        finished = self._wait_batch(children, MIGRATE_TIMEOUT_S)
        failed = [child for child in children if child.poll() not in (0, None)]
        if finished:
            for child in failed:
                output = outputs[child.name]
                output.seek(0)
                self.console.say(
                    f"migration of {child.name} failed ({_describe_exit(child.poll())}): "
                    f"{child.command}"
                )
                for line in output.read().decode("utf-8", "replace").splitlines():
                    self.console.child_line(child.name, line)
        for output in outputs.values():
            output.close()
        if self.stop.is_set():
            return 0
        if not finished or failed:
            return 1
        self.console.say(f"all seven databases are at head ({time.monotonic() - started:.1f} s)")
        return None

    def topology(self) -> int | None:
        self.console.say("declaring the broker topology (queues, bindings, retry, dead-letter)")
        child = Child("topology", ["services.common.topology"], self.env)
        child.pump_to(self.console)
        if not self._wait_batch([child], TOPOLOGY_TIMEOUT_S):
            return 0 if self.stop.is_set() else 1
        child.reader.join(timeout=2)
        if child.poll() != 0:
            self.console.say(f"topology failed ({_describe_exit(child.poll())}): {child.command}")
            return 1
        return None

    def serve(self) -> int:
        children = [
            Child(name, [f"services.{name}", "run"], self.env) for name in SERVICES
        ]
        children.append(Child("gateway", ["gateway"], self.env))
        for child in children:
            child.pump_to(self.console)
        self.console.say(
            "started " + ", ".join(f"{child.name} (pid {child.proc.pid})" for child in children)
        )
        health_url = self.settings.gateway_url + "/health"
        deadline = time.monotonic() + START_TIMEOUT_S
        next_probe = time.monotonic() + 0.5
        last_answer = "no answer yet"
        up = False
        while True:
            if self.stop.is_set():
                self.console.say(f"{self.stop_signal} received")
                stop_all(children, self.console, self.hurry)
                self.console.say("stopped")
                return 0
            for child in children:
                code = child.poll()
                if code is not None:
                    self.console.say(
                        f"{child.name} exited unexpectedly ({_describe_exit(code)}); "
                        "stopping the platform"
                    )
                    stop_all(children, self.console, self.hurry)
                    self.console.say(f"stopped because {child.name} exited")
                    return 1
            now = time.monotonic()
            if not up and now >= next_probe:
                status, body = probe_health(health_url)
                if status == 200:
                    up = True
                    self.console.say("gateway reports every service healthy")
                    self.console.announce(
                        f"Platform is up: {self.settings.gateway_url} "
                        "(docs at /docs, health at /health)"
                    )
                else:
                    last_answer = f"HTTP {status}: {body}" if status else body
                    next_probe = time.monotonic() + 1.0
                    if now > deadline:
                        self.console.say(
                            f"{health_url} did not answer 200 within {START_TIMEOUT_S:.0f} s "
                            f"(last: {last_answer.strip()}); stopping the platform"
                        )
                        stop_all(children, self.console, self.hurry)
                        return 1
            self.stop.wait(0.2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.local_stack",
        description="Run every service and the gateway of the platform on this machine.",
    )
    parser.add_argument(
        "--migrate-only", action="store_true",
        help="bring every service's database and the gateway's to head, then exit",
    )
    args = parser.parse_args(argv)
    console = Console()
    environ = dict(os.environ)
    try:
        settings = StackSettings.from_env(environ)
    except SettingsError as exc:
        console.say(f"bad setting: {exc}")
        return 2

    runner = Runner(settings, console, environ)
    for signum in _REQUESTED_STOP:
        signal.signal(signum, runner.on_signal)

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not args.migrate_only:
        taken = check_ports_free(settings)
        if taken:
            console.say("these ports are already in use: " + ", ".join(taken))
            console.say("stop whatever holds them, or set the variables to free ports")
            return 1
        problem = check_broker(settings)
        if problem:
            console.say(problem)
            console.say("start it with deploy/bootstrap.sh, or point AMQP_URI at a running one")
            return 1

    result = runner.migrate()
    if result is not None:
        return result
    if args.migrate_only:
        return 0
    result = runner.topology()
    if result is not None:
        return result
    return runner.serve()


if __name__ == "__main__":
    sys.exit(main())
