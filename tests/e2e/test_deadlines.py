"""A call that cannot be answered in time is a 504 within its timeout, never a hang, and it
does not run later: a request that waited past its caller's deadline is dropped unrun.
A call to a service that has never run is a 503 at once."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from tests.e2e.harness import ProbePlatform, free_port, wait_until

# The deadline travels in milliseconds; allow for clock reads on both sides.
DEADLINE_ROUNDING_S = 0.1


@pytest.fixture(scope="module")
def deadline_platform(request, tmp_path_factory):
    platform = ProbePlatform(tmp_path_factory.mktemp("deadlines"),
                             source_metrics_port=free_port())
    try:
        platform.start_all()
        yield platform
    finally:
        platform.close(show_logs=request.session.testsfailed > 0)


def slow(platform, tag: str, *, seconds: float, timeout: float) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = platform.http.post(f"{platform.prefix}/slow", params={"timeout": timeout},
                                  json={"seconds": seconds, "tag": tag})
    return response, time.monotonic() - started


def expired_count(platform) -> float:
    """The source's own count of requests it dropped because their deadline had passed."""
    text = httpx.get(f"http://127.0.0.1:{platform.source_metrics_port}/metrics", timeout=5).text
    name = f'{platform.source_name}_rpc_expired_total{{method="slow"}}'
    for line in text.splitlines():
        if line.startswith(name):
            return float(line.split()[-1])
    return 0.0


def settle_with_a_later_call(platform) -> None:
    """A call sent after the expired one has been answered: the source has by then taken
    the expired request off its queue (run or dropped it)."""
    control = f"control-{uuid.uuid4().hex[:8]}"
    response, _ = slow(platform, control, seconds=0, timeout=10)
    assert response.status_code == 200, response.text
    assert platform.side_effects(control) == 1


def test_a_timeout_is_504_and_the_request_never_runs_later(deadline_platform):
    platform = deadline_platform
    tag = f"late-{uuid.uuid4().hex[:8]}"
    expired_before = expired_count(platform)
    platform.source.pause()  # SIGSTOP: the request reaches the process but nothing runs
    try:
        response, elapsed = slow(platform, tag, seconds=0, timeout=1.0)
        assert response.status_code == 504, response.text
        assert response.json()["error"]["code"] == "timeout"
        assert 1.0 <= elapsed < 2.0, elapsed
        time.sleep(DEADLINE_ROUNDING_S + 0.2)  # let the deadline on the bus pass as well
    finally:
        platform.source.resume()

    settle_with_a_later_call(platform)
    assert platform.side_effects(tag) == 0, "the timed-out request ran after its 504"
    assert expired_count(platform) == expired_before + 1


def test_a_request_queued_for_a_stopped_service_expires_before_it_comes_back(
        deadline_platform):
    platform = deadline_platform
    tag = f"queued-{uuid.uuid4().hex[:8]}"
    assert platform.source.stop() == 0  # its durable queue stays, with nobody consuming

    response, elapsed = slow(platform, tag, seconds=0, timeout=1.0)
    assert response.status_code == 504, response.text
    assert elapsed < 2.0, elapsed
    time.sleep(DEADLINE_ROUNDING_S + 0.2)

    platform.start_source()
    platform.wait_healthy()
    settle_with_a_later_call(platform)
    assert platform.side_effects(tag) == 0, "the expired request ran when the service returned"


def test_a_call_that_answers_within_its_timeout_runs_once(deadline_platform):
    platform = deadline_platform
    tag = f"intime-{uuid.uuid4().hex[:8]}"
    response, elapsed = slow(platform, tag, seconds=0.3, timeout=5)

    assert response.status_code == 200, response.text
    assert response.json() == {"tag": tag}
    assert 0.3 <= elapsed < 5
    assert platform.side_effects(tag) == 1


def test_a_service_that_never_ran_is_503_at_once(deadline_platform):
    platform = deadline_platform
    nobody = uuid.uuid4().hex[:10]  # no probesrc<nobody> has ever declared its queue
    started = time.monotonic()
    response = platform.http.post(f"/probe/{nobody}/echo", json={"n": 1})
    elapsed = time.monotonic() - started

    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "unavailable"
    assert int(response.headers["Retry-After"]) > 0
    assert elapsed < 1.0, elapsed


def test_the_gateway_timeout_bounds_a_call_that_runs_too_long(deadline_platform):
    platform = deadline_platform
    tag = f"long-{uuid.uuid4().hex[:8]}"
    response, elapsed = slow(platform, tag, seconds=3, timeout=1.0)

    assert response.status_code == 504, response.text
    assert elapsed < 2.0, elapsed
    # It had started before the deadline, so it finishes: a deadline stops requests that
    # waited too long, it does not interrupt work under way.
    wait_until(lambda: platform.side_effects(tag) == 1, 10, "the started request to finish")
