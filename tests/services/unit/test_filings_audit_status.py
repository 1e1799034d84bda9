"""Audit status by financial year: a year's audit is due six months after its 31 March;
up to date, pending 1-3 years or more than 3 (seed 002's audit position)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from services.common.errors import InvalidInput
from services.filings.audits import status

SOCIETY = SimpleNamespace(society_id="s1", name="Berasia Samiti",
                          registration_date=date(2018, 6, 1))


def test_years_fall_due_six_months_after_march():
    assert status.due_years(SOCIETY.registration_date, date(2025, 9, 29))[-1] == "2023-24"
    assert status.due_years(SOCIETY.registration_date, date(2025, 9, 30))[-1] == "2024-25"
    assert status.due_years(SOCIETY.registration_date, date(2025, 9, 30))[0] == "2018-19"


@pytest.mark.parametrize("audited, category, pending", [
    ({"2018-19", "2019-20", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25"},
     "up_to_date", 0),
    ({"2018-19", "2019-20", "2020-21", "2021-22"}, "pending_1_3", 3),
    ({"2018-19", "2019-20", "2020-21"}, "pending_over_3", 4),
])
def test_the_category_counts_the_years_pending(audited, category, pending):
    found = status.status_of(SOCIETY, audited, date(2025, 12, 1))
    assert (found["category"], found["years_pending"]) == (category, pending)


def test_a_financial_year_is_written_2024_25():
    assert status.year_end("2024-25") == date(2025, 3, 31)
    for bad in ("2024-26", "2024", "24-25"):
        with pytest.raises(InvalidInput):
            status.year_end(bad)
