"""The count, pure: totals from booth figures, candidates in descending order of votes,
the winners of a category's seats, and a tie at the last seat flagged (never a silent
pick: the winners of that category are withheld until the RO's draw of lots)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def totals(figures: Iterable[dict[str, Any]]) -> tuple[int, int, dict[str, int]]:
    """Sum booth figures ({votes_cast, rejected, votes}) into (cast, rejected, votes)."""
    cast = rejected = 0
    votes: dict[str, int] = {}
    for f in figures:
        cast += f["votes_cast"]
        rejected += f["rejected"]
        for nomination_id, n in f["votes"].items():
            votes[nomination_id] = votes.get(nomination_id, 0) + n
    return cast, rejected, votes


def ranked(candidates: list[dict], votes: dict[str, int]) -> list[dict]:
    """Candidates with their votes, most votes first (ties by name, for a stable list)."""
    rows = [{**c, "votes": votes.get(c["nomination_id"], 0)} for c in candidates]
    return sorted(rows, key=lambda c: (-c["votes"], c["candidate_name"],
                                       c["nomination_id"]))


def category_result(category: str, seats: int, candidates: list[dict],
                    votes: dict[str, int], *, unopposed: bool,
                    draw: dict | None = None) -> dict:
    """One category's result. ``unopposed``: every candidate is elected without a poll.
    ``draw``: the RO's recorded draw ({tied, winners, note}) for this category."""
    base = {"seats": seats, "contesting": len(candidates), "unopposed": unopposed,
            "vacant": max(seats - len(candidates), 0), "tie": None, "draw": None}
    if unopposed:
        rows = [{**c, "votes": None, "elected": True} for c in candidates]
        return {**base, "polled_seats": 0, "candidates": rows,
                "winners": [c["nomination_id"] for c in candidates]}
    order = ranked(candidates, votes)
    base["polled_seats"] = seats
    if seats <= 0:
        return {**base, "candidates": [{**c, "elected": False} for c in order],
                "winners": []}
    last = order[seats - 1]["votes"]
    tied = [c["nomination_id"] for c in order if c["votes"] == last]
    sure = [c["nomination_id"] for c in order if c["votes"] > last]
    remaining = seats - len(sure)
    if len(tied) <= remaining:          # nobody left out at the last seat's figure
        winners = [c["nomination_id"] for c in order[:seats]]
    elif draw is not None and sorted(draw["tied"]) == sorted(tied):
        winners = sure + [w for w in draw["winners"]]
        base["draw"] = draw
    else:
        tie = {"category": category, "tied": tied, "votes": last,
               "remaining_seats": remaining}
        return {**base, "tie": tie, "winners": None,
                "candidates": [{**c, "elected": None} for c in order]}
    chosen = set(winners)
    rows = [{**c, "elected": c["nomination_id"] in chosen} for c in order]
    rows.sort(key=lambda c: (-c["votes"], not c["elected"], c["candidate_name"]))
    return {**base, "candidates": rows, "winners": winners}


def check_draw(tie: dict | None, winners: list[str]) -> dict[str, str]:
    """Problems with a draw of lots against the tie it settles (empty: it fits)."""
    if tie is None:
        return {"category": "there is no tie at the last seat in this category"}
    problems = {}
    strangers = [w for w in winners if w not in tie["tied"]]
    if strangers:
        problems["winners"] = ("the candidates drawn must be among those tied: "
                               + ", ".join(strangers) + " are not")
    elif len(set(winners)) != tie["remaining_seats"]:
        problems["winners"] = (f"draw exactly {tie['remaining_seats']} distinct "
                               "candidate(s), the seats remaining at the tie")
    return problems
