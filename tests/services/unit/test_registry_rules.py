"""The registry's rules that need no broker or database: the workflow's steps, the
directory's cursor and name ranges, the e-KYC test provider, number formats and the
import's row checks."""

from __future__ import annotations

import pytest

from services.common.contracts import registry as contracts
from services.common.errors import InvalidInput
from services.registry.applications import ekyc
from services.registry.applications import workflow as applications
from services.registry.offices import hierarchy as offices
from services.registry.societies import bulk_import as society_import
from services.registry.societies import register as societies

OFFICES = frozenset({"crcs", "mp"})


def good_row(**overrides) -> dict[str, str]:
    row = {"registration_number": "MP/1/2001", "registration_date": "2001-04-01",
           "name": "  Narmada   Dairy Society ", "address": "1 Lake Road",
           "state": "Madhya Pradesh", "district": "Bhopal", "area_of_operation": "",
           "type": "dairy", "status": "registered", "office_id": "mp", "email": "",
           "phone": "", "language": ""}
    row.update(overrides)
    return row


def test_every_action_leads_from_open_stages_and_only_decisions_end_it():
    assert set(applications.STEPS) == set(contracts.APPLICATION_ACTIONS)
    for action, step in applications.STEPS.items():
        assert step.to_stage in contracts.APPLICATION_STAGES
        assert not set(step.from_stages) & set(applications.TERMINAL), action
    ending = {a for a, s in applications.STEPS.items() if s.to_stage in applications.TERMINAL}
    assert ending == {"approve", "reject"}
    assert applications.STEPS["approve"].roles == ("registrar",)
    assert "applicant" not in applications.STEPS["take_up"].roles


def test_a_cursor_round_trips_and_a_forged_one_is_a_field_error():
    cursor = societies.encode_cursor("narmada dairy", "id-1")
    assert societies.decode_cursor(cursor) == ("narmada dairy", "id-1")
    for forged in ("", "bm90IGpzb24", "WzEsIDJd"):  # empty, not JSON, not strings
        with pytest.raises(InvalidInput) as invalid:
            societies.decode_cursor(forged)
        assert set(invalid.value.fields) == {"cursor"}


def test_a_name_search_is_the_range_of_names_that_begin_with_it():
    low, high = societies.prefix_bounds(societies.name_key("  Narmada   DAIRY"))
    assert (low, high) == ("narmada dairy", "narmada dairz")
    names = ["narmada dair", "narmada dairy", "narmada dairy society", "narmada dairz",
             "narmada e"]
    assert [n for n in names if low <= n < high] == ["narmada dairy", "narmada dairy society"]


def test_the_test_ekyc_provider_answers_deterministically():
    provider = ekyc.TestEkycProvider()
    ok = provider.verify(name="Asha Devi Patil", aadhaar_number="234567890123", otp="123456")
    assert ok == ekyc.Verification(True, "TEST-0123-ADP", None)
    assert provider.verify(name="A B", aadhaar_number="234567890123", otp="000000") == \
        ekyc.Verification(False, None, "the OTP does not match")
    assert not provider.verify(name="A B", aadhaar_number="234567890120",
                               otp="123456").verified
    assert ekyc.digest("234567890123") == ekyc.digest("234567890123") != \
        ekyc.digest("234567890124")


@pytest.mark.parametrize(("number_format", "ok"), [
    ("MSCS/CR/{seq}/{year}", True), ("{state}/{district}/{seq}", True),
    ("MSCS/CR/{year}", False), ("X/{seq}/{month}", False), ("X/{seq", False)])
def test_a_number_format_needs_its_sequence_and_known_placeholders(number_format, ok):
    if ok:
        offices.check_number_format(number_format)
    else:
        with pytest.raises(InvalidInput) as invalid:
            offices.check_number_format(number_format)
        assert set(invalid.value.fields) == {"number_format"}


def test_an_import_row_is_normalised_or_refused_with_every_reason():
    staged, reasons = society_import.check_row(good_row(), OFFICES)
    assert reasons == []
    assert staged[3:5] == ("Narmada   Dairy Society", "narmada dairy society")
    assert staged[8] == '["Madhya Pradesh"]'
    assert staged[12] == '{"email":null,"phone":null,"language":"en"}'
    staged, reasons = society_import.check_row(good_row(
        registration_date="01/04/2001", type="bakery", status="closed", office_id="x",
        email="no", phone="12", language="fr", name="", address="x" * 501), OFFICES)
    assert staged is None
    assert [r.split(":")[0] for r in reasons] == [
        "name", "address", "registration_date", "type", "status", "office_id", "email",
        "phone", "language"]


def test_copy_values_are_escaped():
    assert society_import._copy_escape(None) == "\\N"
    assert society_import._copy_escape("a\tb\\c\nd") == "a\\tb\\\\c\\nd"
    stream = society_import.CopyStream(iter(["one\n", "two\n", "three\n"]))
    assert stream.read(5) + stream.read(100) + stream.read(100) == "one\ntwo\nthree\n"
