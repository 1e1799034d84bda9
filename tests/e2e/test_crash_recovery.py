"""A service process dies abruptly (SIGKILL) right after answering writes whose events may
still sit in its outbox: once it is back, every event is delivered, each applied once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from tests.e2e.harness import wait_until

NOTES = 30


def test_a_killed_source_delivers_every_committed_event_once_after_restart(make_platform):
    platform = make_platform()
    platform.start_all()
    platform.sink.pause()  # events pile up for the sink instead of being applied at once

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda n: platform.add_note(f"crash {n}"), range(NOTES)))
    platform.source.kill()  # the instant the last write was answered: no clean shutdown
    killed_at = time.monotonic()

    assert [r.status_code for r in responses] == [201] * NOTES, [r.text for r in responses]
    note_ids = {r.json()["id"] for r in responses}
    assert len(note_ids) == NOTES
    pending_at_crash = platform.pending_outbox()
    print(f"\ncrash: {pending_at_crash} of {NOTES} events were still in the outbox at the kill")

    platform.start_source()
    platform.sink.resume()
    platform.wait_healthy()

    def all_applied() -> bool:
        counts = platform.applied_counts()
        return all(counts.get(note_id, 0) >= 1 for note_id in note_ids)

    wait_until(all_applied, 20, "every note's event to be applied after the restart",
               interval=0.2)
    counts = platform.applied_counts()
    assert counts == dict.fromkeys(note_ids, 1)
    wait_until(lambda: platform.pending_outbox() == 0, 10, "the outbox to drain")
    print(f"crash: all {NOTES} applied once, {time.monotonic() - killed_at:.2f} s after the kill")

    # The restarted source serves as before.
    again = platform.add_note("after the crash")
    assert again.status_code == 201, again.text
    wait_until(lambda: platform.applied_counts().get(again.json()["id"]) == 1, 10,
               "the new note to be applied")
