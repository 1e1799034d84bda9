"""Benchmark: a 200 MB upload and download through the gateway, against a direct
``minio`` client put/get to the same S3 server, measured in the same run.

Every piece is a real process on loopback: moto's S3 server, the documents service
(S3 store, SQLite), the gateway (uvicorn). The client streams the body from a generator
and discards the download as it arrives. Reported: seconds and MB/s per path, the ratio
gateway / direct (target >= 0.5), and how much the gateway's and the service's resident
memory grew at their peak during each transfer (target < 64 MB each), sampled every
20 ms from /proc.

    python tests/perf/bench_documents.py [--mb 200] [--runs 5]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import urllib3

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.support.ports import free_port  # noqa: E402
from tests.support.s3 import start_s3_server  # noqa: E402

MB = 1024 * 1024
BLOCK = b"%PDF-1.4\n" + os.urandom(MB - 9)
AMQP_URI = os.environ.get("TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")


def rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class PeakRss:
    """Samples the resident set of some processes while a block runs."""

    def __init__(self, pids: dict[str, int]):
        self.pids = pids
        self.before = {name: rss(pid) for name, pid in pids.items()}
        self.peak = dict(self.before)
        self._stop = threading.Event()

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            for name, pid in self.pids.items():
                self.peak[name] = max(self.peak[name], rss(pid))
            time.sleep(0.02)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def growth_mb(self) -> dict[str, float]:
        return {name: (self.peak[name] - self.before[name]) / MB for name in self.pids}


def body(total: int):
    sent = 0
    while sent < total:
        chunk = BLOCK[: min(len(BLOCK), total - sent)]
        sent += len(chunk)
        yield chunk


class Reader:
    """The same bytes as ``body`` for the minio client, which wants ``read(n)``."""

    def __init__(self, total):
        self._left = total

    def read(self, n=-1):
        n = self._left if n is None or n < 0 else min(n, self._left)
        parts = []
        while n > 0:
            chunk = BLOCK[: min(len(BLOCK), n)]
            parts.append(chunk)
            n -= len(chunk)
            self._left -= len(chunk)
        return b"".join(parts)


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5, help="download pairs, alternated")
    args = parser.parse_args()
    total = args.mb * MB
    s3 = start_s3_server()
    work = Path(tempfile.mkdtemp(prefix="bench-docs-"))
    procs = []
    try:
        bucket = s3.new_bucket()
        base = dict(os.environ, PYTHONPATH=str(REPO), AMQP_URI=AMQP_URI, DATA_DIR=str(work),
                    LOG_LEVEL="WARNING")
        data_port, gw_port = free_port(), free_port()
        svc_env = dict(base, **s3.env(bucket), DOCUMENTS_DATA_PORT=str(data_port),
                       DOCUMENTS_METRICS_PORT="0",
                       DOCUMENTS_DATABASE_URL=f"sqlite:///{work}/documents.db")
        subprocess.run([sys.executable, "-m", "services.documents", "migrate"], env=svc_env,
                       check=True, cwd=REPO, capture_output=True)
        gw_env = dict(base, GATEWAY_PORT=str(gw_port), GATEWAY_ACCESS_LOG="false",
                      GATEWAY_DATABASE_URL=f"sqlite:///{work}/gateway.db",
                      GATEWAY_ARGON2_MEMORY_KIB="1024", GATEWAY_ARGON2_TIME_COST="1")
        subprocess.run([sys.executable, "-m", "gateway", "migrate"], env=gw_env, check=True,
                       cwd=REPO, capture_output=True)
        log = open(work / "processes.log", "wb")
        service = subprocess.Popen([sys.executable, "-m", "services.documents", "run"],
                                   env=svc_env, cwd=REPO, stdout=log, stderr=log)
        gateway = subprocess.Popen([sys.executable, "-m", "gateway", "run"], env=gw_env,
                                   cwd=REPO, stdout=log, stderr=log)
        procs += [service, gateway]
        gw = f"http://127.0.0.1:{gw_port}"
        wait_http(gw + "/health/live")
        token = make_token(gw_env, gw)
        headers = {"Authorization": f"Bearer {token}"}
        society = uuid.uuid4().hex[:8]
        wait_http(gw + "/v1/documents/templates")
        pids = {"gateway": gateway.pid, "service": service.pid}
        client = httpx.Client(timeout=600)

        # Direct baseline: the minio client to the same server.
        minio = s3.client()
        started = time.perf_counter()
        minio.put_object(bucket_name=bucket, object_name="direct", data=Reader(total),
                         length=-1, part_size=16 * MB, num_parallel_uploads=1)
        direct_put = time.perf_counter() - started

        # Through the gateway.
        with PeakRss(pids) as up_mem:
            started = time.perf_counter()
            created = client.post(gw + "/v1/documents", params={
                "owner": f"society:{society}", "kind": "voter_list", "title": "bench",
                "file_name": "bench.pdf", "access_level": "society_and_office"},
                content=body(total), headers=headers)
            gw_put = time.perf_counter() - started
        assert created.status_code == 201, created.text
        document_id = created.json()["document_id"]
        sha256 = created.json()["current"]["sha256"]

        # Downloads, alternated so that each gateway figure has a direct one taken next to
        # it on this shared machine. The gateway is read with urllib3, the HTTP library
        # minio's get runs on, so both paths pay the same client; httpx's sync client (more
        # CPU per MB in the reading process) is reported beside it.
        pool = urllib3.PoolManager(timeout=600)
        url = f"{gw}/v1/documents/{document_id}/content"
        verify_download(pool, url, headers, sha256)  # untimed: the bytes are the file's
        rows = []
        with PeakRss(pids) as down_mem:
            for _ in range(args.runs):
                direct_get = timed(lambda: direct_download(minio, bucket, total))
                gw_get = timed(lambda: gateway_download(pool, url, headers, total))
                gw_get_httpx = timed(lambda: httpx_download(client, url, headers, total))
                rows.append((direct_get, gw_get, gw_get_httpx))

        def rate(seconds):
            return total / MB / seconds

        print(f"{args.mb} MB, S3 = moto server on loopback, 2 shared cores")
        print(f"{'path':<34}{'seconds':>9}{'MB/s':>9}")
        for label, seconds in (("direct minio put", direct_put),
                               ("gateway upload (stream -> S3)", gw_put)):
            print(f"{label:<34}{seconds:>9.2f}{rate(seconds):>9.1f}")
        print(f"upload ratio gateway/direct:   {direct_put / gw_put:.2f} (target >= 0.5)")
        print(f"{'download run':<14}{'direct MB/s':>12}{'gateway MB/s':>14}{'ratio':>7}"
              f"{'gw (httpx) MB/s':>17}{'ratio':>7}")
        for run, (direct_get, gw_get, gw_get_httpx) in enumerate(rows, 1):
            print(f"{run:<14}{rate(direct_get):>12.1f}{rate(gw_get):>14.1f}"
                  f"{direct_get / gw_get:>7.2f}{rate(gw_get_httpx):>17.1f}"
                  f"{direct_get / gw_get_httpx:>7.2f}")
        ratios = sorted(direct / gw for direct, gw, _ in rows)
        print(f"download ratio gateway/direct: median {statistics.median(ratios):.2f}, "
              f"range {ratios[0]:.2f}-{ratios[-1]:.2f} over {len(rows)} runs "
              f"(target >= 0.5)")
        for label, mem in (("upload", up_mem), ("downloads", down_mem)):
            growth = mem.growth_mb()
            print(f"peak RSS growth during {label}: gateway {growth['gateway']:.1f} MB, "
                  f"service {growth['service']:.1f} MB (target < 64 MB each)")
        return 0
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        s3.stop()


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def direct_download(minio, bucket: str, total: int) -> None:
    response = minio.get_object(bucket_name=bucket, object_name="direct")
    got = sum(len(c) for c in response.stream(MB))
    response.close()
    response.release_conn()
    assert got == total


def gateway_download(pool, url: str, headers: dict[str, str], total: int) -> None:
    """urllib3, as minio reads; the bytes are discarded as they arrive, like the direct
    get's."""
    response = pool.request("GET", url, headers=headers, preload_content=False)
    assert response.status == 200, response.status
    got = sum(len(c) for c in response.stream(MB))
    response.release_conn()
    assert got == total


def verify_download(pool, url: str, headers: dict[str, str], sha256: str) -> None:
    response = pool.request("GET", url, headers=headers, preload_content=False)
    digest = hashlib.sha256()
    for chunk in response.stream(MB):
        digest.update(chunk)
    response.release_conn()
    assert digest.hexdigest() == sha256


def httpx_download(client: httpx.Client, url: str, headers: dict[str, str],
                   total: int) -> None:
    got = 0
    with client.stream("GET", url, headers=headers) as download:
        assert download.status_code == 200
        for chunk in download.iter_raw(MB):
            got += len(chunk)
    assert got == total


def make_token(gw_env: dict[str, str], gw: str) -> str:
    """A society representative made in the gateway's database, signed in over HTTP."""
    saved = dict(os.environ)
    os.environ.update(gw_env)
    try:
        from gateway.identity.runtime import Identity
        from gateway.identity.store import audit_context
        from gateway.settings import GatewaySettings

        identity = Identity(GatewaySettings(), rpc=lambda: None)
        ctx = audit_context(request_id="bench-" + uuid.uuid4().hex[:8], actor_id="bench",
                            actor_role="system")
        username = "bench-" + uuid.uuid4().hex[:8]
        password = "a long enough bench passphrase"
        account, _ = identity.store.create_account(
            kind="staff", username=username, display_name="Bench", email=None, phone=None,
            ctx=ctx, password=password, must_change=False)
        identity.store.add_grant(account_id=account["id"], role="registrar", scope_kind=None,
                                 scope_id=None, ctx=ctx)
        identity.close()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    answer = httpx.post(gw + "/v1/auth/sign-in", json={"username": username,
                                                      "password": password}, timeout=30)
    answer.raise_for_status()
    return answer.json()["access_token"]


if __name__ == "__main__":
    sys.exit(main())
