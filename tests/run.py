"""Run the whole suite: the nameko side under eventlet, then the asyncio side
(gateway, end-to-end) in a plain process. They never share a process: eventlet's
monkey-patching and asyncio do not mix. Exits non-zero if either part fails.

The run gets a RabbitMQ virtual host of its own (``rabbitmqctl``, where this user may
use it), deleted at the end with every queue the tests made, so a platform running on
the same broker (`make up`) and the tests never answer each other's calls. Without
``rabbitmqctl`` access the tests use the default virtual host and say so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = (
    ("services (nameko, eventlet)", ["tests/eventlet_pytest.py"], ["tests/services"]),
    # nameko's pytest plugin imports eventlet; keep it out of the asyncio process.
    ("gateway and end-to-end (asyncio)", ["-m", "pytest", "-p", "no:pytest_nameko"],
     ["tests/gateway", "tests/e2e", "tests/browser"]),
)


def _counts(junit: Path) -> tuple[int, int, int]:
    if not junit.exists():
        return 0, 0, 0
    root = ET.parse(junit).getroot()  # noqa: S314 - our own pytest wrote it
    suites = [root] if root.tag == "testsuite" else list(root)
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return total - failed - skipped, failed, skipped


BROKER = "amqp://guest:guest@127.0.0.1:5672/"


def _rabbitmqctl(*args: str) -> bool:
    tool = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    if not Path(tool).exists():
        return False
    try:
        return subprocess.run([tool, *args], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _own_vhost() -> str | None:
    vhost = f"coop-test-{uuid.uuid4().hex[:8]}"
    if _rabbitmqctl("add_vhost", vhost) and _rabbitmqctl(
            "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"):
        return vhost
    return None


def main(extra: list[str]) -> int:
    vhost = None if "TEST_AMQP_URI" in os.environ else _own_vhost()
    if vhost:
        os.environ["TEST_AMQP_URI"] = BROKER + vhost
        print(f"tests use the RabbitMQ virtual host {vhost}", flush=True)
    elif "TEST_AMQP_URI" not in os.environ:
        print("rabbitmqctl not usable here: tests share the default virtual host; stop "
              "`make up` first", flush=True)
    try:
        return _run_parts(extra)
    finally:
        if vhost:
            _rabbitmqctl("delete_vhost", vhost)


def _run_parts(extra: list[str]) -> int:
    passed = failed = skipped = 0
    worst = 0
    with tempfile.TemporaryDirectory() as tmp:
        for index, (title, runner, paths) in enumerate(PARTS):
            paths = [p for p in paths if (ROOT / p).exists()]
            if not paths:
                continue
            junit = Path(tmp) / f"part{index}.xml"
            print(f"\n=== {title} ===", flush=True)
            code = subprocess.call(
                [sys.executable, *runner, *paths, "-p", "no:cacheprovider",
                 f"--junitxml={junit}", *extra], cwd=ROOT)
            p, f, s = _counts(junit)
            passed, failed, skipped = passed + p, failed + f, skipped + s
            if code not in (0,):
                worst = code or 1
    print(f"\nall: {passed} passed, {failed} failed, {skipped} skipped", flush=True)
    if passed == 0 and worst == 0:
        return 1  # a suite that ran nothing is not a pass
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
