"""The nominations' pure rules: the Aadhaar check (format and Verhoeff digit) and its
keyed digest, the BR Act's 10-year tenure, the 19V default term, the contracts."""

from __future__ import annotations

from datetime import date

import pytest

from services.common.contracts.elections_nominations import (
    FileNominationV1,
    RecordDisqualificationV1,
)
from services.common.errors import InvalidInput
from services.common.validation import parse
from services.elections.nominations.identity import (
    identity_digest,
    valid_aadhaar,
    verhoeff_valid,
    with_check_digit,
)
from services.elections.nominations.scrutiny import add_years, tenure_exceeded


def test_aadhaar_needs_twelve_digits_first_two_to_nine_and_its_check_digit():
    good = with_check_digit("23456789012")
    assert valid_aadhaar(good) and verhoeff_valid("2363")
    assert not valid_aadhaar(good[:-1] + str((int(good[-1]) + 1) % 10))
    assert not valid_aadhaar(with_check_digit("13456789012"))      # starts with 1
    assert not valid_aadhaar(good[:11])


def test_the_digest_is_keyed_hex_and_a_bad_number_is_not_repeated():
    good = with_check_digit("98765432101")
    digest = identity_digest(good)
    assert len(digest) == 64 and digest == identity_digest(good) and good not in digest
    with pytest.raises(InvalidInput) as refused:
        identity_digest("234567890123")
    assert "234567890123" not in str(refused.value.to_dict())


def test_bank_director_tenure_past_ten_years_from_1_august_2025():
    assert tenure_exceeded(date(2014, 4, 1), date(2025, 12, 16))
    assert not tenure_exceeded(date(2015, 12, 16), date(2025, 12, 16))   # exactly 10
    assert tenure_exceeded(date(2015, 12, 15), date(2025, 12, 16))
    assert not tenure_exceeded(date(2010, 1, 1), date(2025, 7, 31))      # before the law
    assert not tenure_exceeded(None, date(2025, 12, 16))
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


def test_contracts_name_the_person_once_and_refuse_a_bad_aadhaar_by_field():
    with pytest.raises(InvalidInput) as refused:
        parse(RecordDisqualificationV1, {"rule": "19V", "order_ref": "X", "order_date":
                                         "2025-10-01", "reason": "No account."})
    assert "payload" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        parse(FileNominationV1, {"election_id": "0" * 36, "category": "general",
                                 "membership_number": "M1", "candidate_name": "A",
                                 "aadhaar": "123456789012"})
    assert set(refused.value.fields) == {"aadhaar"}
    assert "123456789012" not in str(refused.value.to_dict())
