"""Supporting voters of a request checked against the society's register: the
registry's ``active_membership_numbers``, one call for the whole list (it answers only
which numbers are active members, so the check does not depend on the requester's
right to read the register). Pure apart from the registry proxy it is given."""

from __future__ import annotations

from typing import Any

from services.common.errors import InvalidInput

NEEDS_VOTERS = ("member", "board_member")


def check(registry: Any, society_id: str, initiator_type: str,
          numbers: list[str]) -> list[str]:
    """The supporting voters, each an active member; else 422 naming every one that is
    not (and the rule when a member's request names none)."""
    if initiator_type in NEEDS_VOTERS and not numbers:
        raise InvalidInput("A request by members or board members needs the list of "
                           "supporting voters.",
                           fields={"supporting_voters": "required when initiated by "
                                                        "members or board members"})
    seen: set[str] = set()
    bad: dict[str, str] = {}
    for index, number in enumerate(numbers):
        if number in seen:
            bad[f"supporting_voters[{index}]"] = f"{number} is listed twice"
        seen.add(number)
    active = set(registry.active_membership_numbers(payload={
        "society_id": society_id, "membership_numbers": sorted(seen)})["active"]
        ) if seen else set()
    for index, number in enumerate(numbers):
        if number not in active and f"supporting_voters[{index}]" not in bad:
            bad[f"supporting_voters[{index}]"] = (
                f"{number} is not an active member of the society")
    if bad:
        raise InvalidInput("Some supporting voters are not members of the society.",
                           fields=bad)
    return list(numbers)
