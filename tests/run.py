"""Run the whole suite: the nameko side under eventlet, then the asyncio side
(gateway, end-to-end) in a plain process. They never share a process: eventlet's
monkey-patching and asyncio do not mix. Exits non-zero if either part fails."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = (
    ("services (nameko, eventlet)", ["tests/eventlet_pytest.py"], ["tests/services"]),
    # nameko's pytest plugin imports eventlet; keep it out of the asyncio process.
    ("gateway and end-to-end (asyncio)", ["-m", "pytest", "-p", "no:pytest_nameko"],
     ["tests/gateway", "tests/e2e"]),
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


def main(extra: list[str]) -> int:
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
