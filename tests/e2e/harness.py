"""Real processes for end-to-end tests: probe services, the gateway, and ways to hurt them.

Nothing here imports nameko or eventlet: every service runs in a subprocess
(``python -m tests.support.probe_service``) and the gateway too
(``python -m tests.support.probe_gateway``). The test process speaks HTTP to the gateway,
SQL to the services' databases and, for clean-up only, AMQP to the broker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
from kombu import Connection
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.support import pg
from tests.support.broker import AMQP_URI, delete_queues
from tests.support.ports import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


T = TypeVar("T")


def wait_until(check: Callable[[], T], timeout: float, what: str, interval: float = 0.1) -> T:
    """Poll ``check`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        try:
            last = check()
        except Exception as exc:  # the thing polled may not answer yet
            last = exc
        else:
            if last:
                return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}; "
                                 f"last: {last!r}")
        time.sleep(interval)


# --------------------------------------------------------------------------- processes


class Proc:
    """A child process in a process group of its own, its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path):
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> Proc:
        with open(self.log_path, "ab") as log:
            log.write(f"--- start {' '.join(self.argv)}\n".encode())
            log.flush()
            self.popen = subprocess.Popen(
                self.argv, cwd=REPO_ROOT, env=self.env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, signum: int) -> None:
        if self.alive:
            try:
                os.killpg(self.popen.pid, signum)
            except ProcessLookupError:
                pass

    def pause(self) -> None:
        self.signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.signal(signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL: a crash, no clean-up of any kind."""
        self.signal(signal.SIGCONT)
        self.signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=10)

    def stop(self, grace: float = 10.0) -> int | None:
        """SIGTERM, then SIGKILL after ``grace`` seconds; returns the exit code."""
        if self.popen is None:
            return None
        self.signal(signal.SIGCONT)
        self.signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.popen.returncode

    def log_tail(self, lines: int = 40) -> str:
        try:
            content = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(content[-lines:])


def base_env(**overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH"))
                                        if p)
    env["PYTHONUNBUFFERED"] = "1"
    env["LOG_LEVEL"] = "INFO"
    env.update(overrides)
    return env


def consumers_of(queue: str) -> int:
    """How many consumers RabbitMQ counts on ``queue`` (0 if it does not exist)."""
    with Connection(AMQP_URI) as connection:
        try:
            _, _, consumers = connection.channel().queue_declare(queue, passive=True)
        except Exception:  # the queue does not exist
            return 0
        return consumers


def metric_value(metrics_text: str, sample: str) -> float | None:
    """The value of one sample (``name{labels}`` exactly as exported) in a /metrics page."""
    for line in metrics_text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


# --------------------------------------------------------------------------- databases
# The SQL names the tables of tests/support/probe.py and services/common/schema.py as
# text, so this process need not import them (they import nameko).


def query_scalar(url: str, sql: str, **params: Any) -> Any:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar_one()
    finally:
        engine.dispose()


def query_rows(url: str, sql: str, **params: Any) -> list[Any]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql), params))
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- the platform


class ProbePlatform:
    """One probe pair (source ``probesrc<suffix>``, sink ``probesink<suffix>``), each with
    its own PostgreSQL database, and a gateway in front; every piece a real process.

    ``amqp_uri`` is what the services and the gateway connect to (a TcpProxy's, to cut
    them off from the broker).
    """

    def __init__(self, log_dir: Path, *, amqp_uri: str = AMQP_URI, rpc_timeout: float = 5.0,
                 source_metrics_port: int = 0):
        self.log_dir = log_dir
        self.amqp_uri = amqp_uri
        self.rpc_timeout = rpc_timeout
        self.suffix = uuid.uuid4().hex[:10]
        self.source_name = f"probesrc{self.suffix}"
        self.sink_name = f"probesink{self.suffix}"
        self.source_metrics_port = source_metrics_port
        self.gateway_port = free_port()
        self.procs: list[Proc] = []
        self._databases: list[str] = []
        self.source_url = self._database()
        self.sink_url = self._database()
        self.source: Proc | None = None
        self.sink: Proc | None = None
        self.gateway: Proc | None = None
        self.http = httpx.Client(base_url=self.gateway_url, timeout=rpc_timeout + 10)

    # -- set-up ----------------------------------------------------------------------------

    def _database(self) -> str:
        name, url = pg.create_database("e2e")
        self._databases.append(name)
        return url

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def prefix(self) -> str:
        """Where the gateway serves this pair's probe routes."""
        return f"/probe/{self.suffix}"

    @property
    def event_queue(self) -> str:
        return f"evt-{self.source_name}-note_added--{self.sink_name}.on_note_added"

    def service_env(self) -> dict[str, str]:
        src, sink = self.source_name.upper(), self.sink_name.upper()
        return base_env(
            AMQP_URI=self.amqp_uri,
            **{f"{src}_DATABASE_URL": self.source_url,
               f"{sink}_DATABASE_URL": self.sink_url,
               f"{src}_METRICS_PORT": str(self.source_metrics_port),
               f"{sink}_METRICS_PORT": "0",
               "EVENT_RETRY_DELAYS": "0.2,0.4",
               "OUTBOX_POLL_SECONDS": "0.5"},
        )

    def _probe_argv(self, role: str, command: str) -> list[str]:
        return [PYTHON, "-m", "tests.support.probe_service", "--suffix", self.suffix,
                "--role", role, command]

    def migrate(self) -> None:
        """Both databases to head, with the chassis's own ``migrate`` command, side by side."""
        env = self.service_env()
        children = [subprocess.Popen(self._probe_argv(role, "migrate"), cwd=REPO_ROOT,
                                     env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
                    for role in ("source", "sink")]
        for child in children:
            output, _ = child.communicate(timeout=60)
            assert child.returncode == 0, f"migrate failed:\n{output.decode()}"

    def _start(self, name: str, argv: list[str], env: dict[str, str]) -> Proc:
        proc = Proc(name, argv, env, self.log_dir).start()
        self.procs.append(proc)
        return proc

    def start_source(self) -> Proc:
        self.source = self._start("source", self._probe_argv("source", "run"),
                                  self.service_env())
        return self.source

    def start_sink(self) -> Proc:
        self.sink = self._start("sink", self._probe_argv("sink", "run"), self.service_env())
        return self.sink

    def start_gateway(self, services: tuple[str, ...] | None = None) -> Proc:
        services = services or (self.source_name, self.sink_name)
        env = base_env(
            AMQP_URI=self.amqp_uri,
            GATEWAY_HOST="127.0.0.1",
            GATEWAY_PORT=str(self.gateway_port),
            GATEWAY_SERVICES=",".join(services),
            GATEWAY_RPC_TIMEOUT=str(self.rpc_timeout),
            GATEWAY_HEALTH_TIMEOUT="2",
        )
        self.gateway = self._start("gateway", [PYTHON, "-m", "tests.support.probe_gateway"],
                                   env)
        return self.gateway

    def start_all(self) -> ProbePlatform:
        self.migrate()
        self.start_source()
        self.start_sink()
        self.start_gateway()
        self.wait_healthy()
        return self

    # -- observing ---------------------------------------------------------------------------

    def health(self) -> httpx.Response:
        return self.http.get("/health", timeout=5)

    def wait_healthy(self, timeout: float = 40.0) -> float:
        """Poll the gateway's /health until 200 with ok true; returns the seconds it took."""
        started = time.monotonic()

        def healthy() -> bool:
            for proc in self.procs:
                assert proc.alive or proc.popen.returncode in (-signal.SIGKILL,
                                                              -signal.SIGTERM, 0), (
                    f"{proc.name} exited ({proc.popen.returncode}):\n{proc.log_tail()}")
            response = self.health()
            return response.status_code == 200 and response.json()["ok"] is True

        wait_until(healthy, timeout, "the gateway's /health to answer 200", interval=0.2)
        return time.monotonic() - started

    def add_note(self, text_: str, key: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = {"Idempotency-Key": key} if key else {}
        return self.http.post(f"{self.prefix}/notes", json={"text": text_}, headers=headers,
                              **kwargs)

    def notes_with_text(self, text_: str) -> int:
        return query_scalar(self.source_url,
                            "SELECT count(*) FROM probe_note WHERE text = :t", t=text_)

    def applied_counts(self) -> dict[int, int]:
        """How many times the sink applied each note's event: note id -> count."""
        rows = query_rows(self.sink_url, "SELECT note_id, count(*) FROM probe_applied "
                                         "GROUP BY note_id")
        return {note_id: count for note_id, count in rows}

    def side_effects(self, tag: str) -> int:
        return query_scalar(self.source_url,
                            "SELECT count(*) FROM probe_side_effect WHERE tag = :t", t=tag)

    def pending_outbox(self) -> int:
        return query_scalar(self.source_url,
                            "SELECT count(*) FROM outbox_message WHERE sent_at IS NULL")

    def logs(self) -> str:
        return "\n".join(f"===== {proc.name} (pid {proc.popen.pid}) =====\n{proc.log_tail()}"
                         for proc in self.procs if proc.popen is not None)

    # -- tear-down ---------------------------------------------------------------------------

    def close(self, *, show_logs: bool = False) -> None:
        if show_logs:
            print(f"\nlogs of the platform's processes:\n{self.logs()}", file=sys.stderr)
        self.http.close()
        for proc in reversed(self.procs):
            if proc.alive:
                proc.kill()
        queues = [f"rpc-{self.source_name}", f"rpc-{self.sink_name}", self.event_queue,
                  *(f"{self.event_queue}.retry.{level}" for level in range(1, 6)),
                  f"{self.event_queue}.dead"]
        try:
            delete_queues(queues, AMQP_URI)
            with Connection(AMQP_URI) as connection:
                connection.channel().exchange_delete(f"{self.source_name}.events")
        except Exception as exc:  # clean-up is best effort; the names are unique anyway
            print(f"broker clean-up failed: {exc!r}", file=sys.stderr)
        for name in self._databases:
            pg.drop_database(name)


def signed_in(http: httpx.Client, kit: Any, role: str, scope_kind: str | None = None,
              scope_id: str | None = None) -> dict[str, str]:
    """Headers of a new account holding one grant, signed in through the gateway (each
    from its own address, so the sign-in limits never meet)."""
    from tests.gateway.identity_kit import PASSWORD

    account = kit.make_account(role=role, scope_kind=scope_kind, scope_id=scope_id)
    response = http.post("/v1/auth/sign-in", json={
        "username": account["username"], "password": PASSWORD},
        headers={"X-Forwarded-For": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
                                    f".{uuid.uuid4().int % 250}"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}",
            "X-Account-Id": account["id"]}


def start_deployed(services: tuple[str, ...], env: dict[str, str], log_dir: Path,
                   http: httpx.Client, timeout: float = 90) -> list[Proc]:
    """As a deploy does it: migrate each service and the gateway, declare the broker's
    queues, start every process, then wait until the gateway's /health says all are
    healthy. The started processes, gateway last."""
    setup = [[PYTHON, "-m", f"services.{name}", "migrate"] for name in services]
    setup += [[PYTHON, "-m", "gateway", "migrate"], [PYTHON, "-m", "services.common.topology"]]
    for argv in setup:
        done = subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    procs = [Proc(name, [PYTHON, "-m", f"services.{name}", "run"], env, log_dir).start()
             for name in services]
    procs.append(Proc("gateway", [PYTHON, "-m", "gateway", "run"], env, log_dir).start())
    try:
        wait_until(lambda: http.get("/health").json().get("ok"), timeout,
                   f"the gateway and {', '.join(services)} to be healthy", interval=0.3)
    except AssertionError:
        # Nobody else holds these processes yet: left running, they would answer the
        # next test's calls from databases that are gone.
        for proc in procs:
            proc.kill()
        raise
    return procs


class DomainStack:
    """The registry, one domain service and the gateway as child processes on their own
    PostgreSQL databases, with accounts to act as: what each domain's HTTP flow needs."""

    def __init__(self, work: Path, service: str, **env: str):
        self.work, self.service, self.extra_env = work, service, env
        tag = service[:4]
        self.registry_db, self.registry_url = pg.create_database(f"e2e{tag}r")
        self.service_db, self.service_url = pg.create_database(f"e2e{tag}")
        self.gateway_db = f"sqlite:///{work / 'gateway.db'}"
        self.port = free_port()
        self.procs: list[Proc] = []
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=20)
        self.kit = None

    def env(self) -> dict[str, str]:
        name = self.service.upper()
        return base_env(AMQP_URI=AMQP_URI, REGISTRY_DATABASE_URL=self.registry_url,
                        REGISTRY_METRICS_PORT="0", **{f"{name}_DATABASE_URL": self.service_url,
                                                      f"{name}_METRICS_PORT": "0"},
                        GATEWAY_DATABASE_URL=self.gateway_db, GATEWAY_HOST="127.0.0.1",
                        GATEWAY_PORT=str(self.port),
                        GATEWAY_SERVICES=f"registry,{self.service}",
                        GATEWAY_RPC_TIMEOUT="10", GATEWAY_TRUSTED_PROXIES="127.0.0.1",
                        **self.extra_env)

    def start(self) -> DomainStack:
        from tests.gateway.identity_kit import make_kit

        self.procs = start_deployed(("registry", self.service), self.env(), self.work,
                                    self.http, 90)
        self.kit = make_kit(self.gateway_db)
        return self

    def token(self, role: str, scope_kind: str | None = None,
              scope_id: str | None = None) -> dict[str, str]:
        return signed_in(self.http, self.kit, role, scope_kind, scope_id)

    def society(self, society_id: str, name: str, **columns: str) -> str:
        """A registered society in the register (``columns``: office_id, state ...)."""
        from tests.perf.bench_registry_members import insert_societies

        engine = create_engine(self.registry_url)
        try:
            with engine.begin() as connection:
                insert_societies(connection, [(society_id, f"MSCS/CR/{society_id}", name)])
                for column, value in columns.items():
                    connection.execute(text(f"UPDATE society SET {column} = :v "  # noqa: S608
                                            "WHERE id = :i"), {"v": value, "i": society_id})
        finally:
            engine.dispose()
        return society_id

    def close(self) -> None:
        self.http.close()
        for proc in reversed(self.procs):
            proc.kill()
        delete_queues(["rpc-registry", f"rpc-{self.service}"])
        pg.drop_database(self.registry_db)
        pg.drop_database(self.service_db)


class PlatformStack:
    """``services`` and the gateway as deployed, each service on its own PostgreSQL
    database, documents on the filesystem, e-mail and SMS to sinks on loopback."""

    def __init__(self, work: Path, services: tuple[str, ...], **env: str):
        from tests.support.sms_sink import SmsSink
        from tests.support.smtp_sink import SmtpSink

        self.work, self.services, self.extra_env = work, services, env
        self.databases = {name: pg.create_database(f"e2e{name[:4]}") for name in services}
        self.gateway_db = f"sqlite:///{work / 'gateway.db'}"
        self.port = free_port()
        self.sms = SmsSink(free_port())
        self.smtp = SmtpSink(free_port(), free_port())
        self.procs: list[Proc] = []
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30)
        self.kit: Any = None

    def env(self) -> dict[str, str]:
        env = base_env(
            AMQP_URI=AMQP_URI, DATA_DIR=str(self.work), GATEWAY_DATABASE_URL=self.gateway_db,
            GATEWAY_HOST="127.0.0.1", GATEWAY_PORT=str(self.port),
            GATEWAY_SERVICES=",".join(self.services), GATEWAY_RPC_TIMEOUT="10",
            GATEWAY_TRUSTED_PROXIES="127.0.0.1", GATEWAY_DIRECTORY_CACHE_SECONDS="0",
            DOCUMENTS_STORE="filesystem", DOCUMENTS_FILES_DIR=str(self.work / "files"),
            DOCUMENTS_DATA_PORT=str(free_port()),
            DOCUMENTS_VERIFY_BASE_URL=f"http://127.0.0.1:{self.port}/v1/documents/verify/",
            NOTIFY_SMTP_PORT=str(self.smtp.port), NOTIFY_SMS_URL=self.sms.url,
            NOTIFY_SMS_API_KEY=self.sms.api_key, NOTIFY_POLL_SECONDS="0.1", **self.extra_env)
        for name, (_db, url) in self.databases.items():
            env[f"{name.upper()}_DATABASE_URL"] = url
            env[f"{name.upper()}_METRICS_PORT"] = "0"
        return env

    def start(self) -> PlatformStack:
        from tests.gateway.identity_kit import make_kit

        self.sms.start()
        self.smtp.start()
        self.procs = start_deployed(self.services, self.env(), self.work, self.http, 120)
        self.kit = make_kit(self.gateway_db)
        return self

    def token(self, role: str, scope_kind: str | None = None,
              scope_id: str | None = None) -> dict[str, str]:
        return signed_in(self.http, self.kit, role, scope_kind, scope_id)

    def close(self) -> None:
        from services.common.topology import SUBSCRIPTIONS, side_queues

        self.http.close()
        for proc in reversed(self.procs):
            proc.kill()
        self.sms.stop()
        self.smtp.stop()
        queues = [f"rpc-{name}" for name in self.services]
        for sub in SUBSCRIPTIONS:
            queues.append(sub.queue_name)
            queues.extend(q.name for q in side_queues(sub.queue_name))
        delete_queues(queues)
        for name, _url in self.databases.values():
            pg.drop_database(name)


def registered_society(stack: Any, form: dict[str, Any], *, office_id: str = "crcs",
                       applicant: dict[str, str] | None = None) -> dict[str, str]:
    """A registration from the promoter's form to the registrar's approval at
    ``office_id``, without a query, through the HTTP API: the society's and the
    application's ids (every service hears of the society as in production)."""
    http = stack.http
    applicant = applicant or stack.token("applicant")
    created = http.post("/v1/applications", headers=applicant, json={
        "kind": "registration", "office_id": office_id, "data": form,
        "applicant": {"name": "Ravi Sawant", "email": "ravi@example.in", "language": "en"}})
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    verified = http.post(f"/v1/applications/{app_id}/promoters", headers=applicant, json={
        "name": "Ravi Sawant", "aadhaar_number": "456789012345", "otp": "123456"})
    assert verified.status_code == 200 and verified.json()["verified"], verified.text
    assert http.post(f"/v1/applications/{app_id}/submit", headers=applicant).status_code == 200
    officer = stack.token("dealing_officer", "office", office_id)
    assert http.post(f"/v1/applications/{app_id}/take-up", headers=officer).status_code == 200
    approved = http.post(f"/v1/applications/{app_id}/approve",
                         headers=stack.token("registrar", "office", office_id))
    assert approved.status_code == 200, approved.text
    return {"society_id": approved.json()["society_id"], "application_id": app_id}
