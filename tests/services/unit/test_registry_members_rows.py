"""The plain-cell fast path of an import row agrees with the contract: it admits only
rows the contract admits, with the same values, and leaves every other row to the
contract (whose reasons a user then reads)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from services.common.contracts.registry_members import MemberFieldsV1
from services.registry.members.rows import check_row, plain_values

BASE = {"membership_number": "M-001/2", "name": "Asha Devi", "category": "individual",
        "admission_date": "2019-03-31", "phone": "", "email": "", "language": "",
        "shares": ""}
TOMORROW = (date.today() + timedelta(days=1)).isoformat()

VARIANTS = [
    {}, {"phone": "+919876543210", "email": "a.b@example.in", "language": "hi",
         "shares": "0"},
    {"shares": "1000000000"}, {"shares": "1000000001"}, {"shares": "010"}, {"shares": " 7 "},
    {"shares": "-1"}, {"shares": "x"}, {"membership_number": " 12 "},
    {"membership_number": "-12"}, {"membership_number": "A" * 32},
    {"membership_number": "A" * 33}, {"membership_number": ""}, {"name": "  Padded  "},
    {"name": "x" * 200}, {"name": "x" * 201}, {"name": " "}, {"name": "Tab\there"},
    {"category": "club"}, {"category": "Firm"}, {"admission_date": TOMORROW},
    {"admission_date": "2019-02-30"}, {"admission_date": "2019-3-31"},
    {"admission_date": "31/03/2019"}, {"phone": "98765"}, {"phone": " 9876543210"},
    {"email": "no-at.example.in"}, {"email": "a@b"}, {"email": "a b@c.in"},
    {"email": "x" * 250 + "@e.in"}, {"language": "xx"}, {"language": "EN"},
]


@pytest.mark.parametrize("change", VARIANTS, ids=[str(v) for v in VARIANTS])
def test_the_fast_path_admits_only_what_the_contract_admits(change):
    cells = {**BASE, **change}
    plain = plain_values(cells)
    try:
        model = MemberFieldsV1.model_validate(cells)
    except ValidationError:
        assert plain is None
        values, reasons = check_row(cells)
        assert values is None and reasons
        return
    if plain is not None:
        assert plain == model.model_dump()
    assert check_row(cells) == (model.model_dump(), {})


def test_plain_rows_take_the_fast_path():
    assert plain_values(BASE) is not None
    assert plain_values({**BASE, "phone": "9876543210", "shares": "25"})["shares"] == 25
