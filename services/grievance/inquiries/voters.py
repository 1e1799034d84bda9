"""Supporting voters of a request checked against the society's register (the registry's
``search_members``, one membership number at a time: requests carry tens, not
thousands). Pure apart from the registry proxy it is given."""

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
            continue
        seen.add(number)
        page = registry.search_members(payload={"society_id": society_id, "q": number,
                                                "status": "active", "limit": 5})
        if not any(item["membership_number"] == number for item in page["items"]):
            bad[f"supporting_voters[{index}]"] = (
                f"{number} is not an active member of the society")
    if bad:
        raise InvalidInput("Some supporting voters are not members of the society.",
                           fields=bad)
    return list(numbers)
