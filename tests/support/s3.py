"""A real S3-protocol server on loopback for tests and benchmarks: moto's standalone
server (the same one ``ThreadedMotoServer`` runs) in a subprocess of its own, so it
neither shares the test's event loop or eventlet hub nor its interpreter lock, and
nothing about S3 is mocked inside the process under test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass

from tests.support.ports import free_port

ACCESS_KEY = "testing-access"
SECRET_KEY = "testing-secret-key"


@dataclass
class S3Server:
    endpoint: str        # host:port, as the minio client takes it
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    def client(self):
        from minio import Minio

        return Minio(self.endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                     secure=False, region="us-east-1")

    def new_bucket(self) -> str:
        name = f"docs-{uuid.uuid4().hex[:12]}"
        self.client().make_bucket(bucket_name=name)
        return name

    def env(self, bucket: str, prefix: str = "DOCUMENTS_") -> dict[str, str]:
        """The documents service's settings for this server and ``bucket``."""
        return {f"{prefix}STORE": "s3", f"{prefix}S3_ENDPOINT": self.endpoint,
                f"{prefix}S3_ACCESS_KEY": ACCESS_KEY, f"{prefix}S3_SECRET_KEY": SECRET_KEY,
                f"{prefix}S3_BUCKET": bucket, f"{prefix}S3_SECURE": "false",
                f"{prefix}S3_REGION": "us-east-1"}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_s3_server(timeout: float = 30.0) -> S3Server:
    port = free_port()
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY,
               AWS_DEFAULT_REGION="us-east-1")
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto's S3 server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return S3Server(f"127.0.0.1:{port}", process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("moto's S3 server did not start")
