"""Form definitions as data: the rule language, definitions refused when saved, the
shipped forms' arithmetic (RCS/LQR/01 with its annexures, seed 002), due dates, and a
new form that is data alone."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest

from services.common.india import paise_of, rupees_text
from services.filings.forms import checking, expressions, periods, schema
from services.filings.forms.catalogue import shipped

FORMS = {raw["code"]: raw for raw in shipped()}


def form(code: str) -> schema.Form:
    return schema.load(copy.deepcopy(FORMS[code]))


def _scalars(**values):
    return expressions.Values(lambda name: Decimal(str(values.get(name, 0))),
                              lambda t, c: [], lambda t: 0)


def test_the_language_keeps_exact_decimals_and_percentages():
    node = expressions.parse("govt <= 75% * authorised")
    assert expressions.evaluate(node, _scalars(govt="75000.00", authorised=100000))
    assert not expressions.evaluate(node, _scalars(govt="75000.01", authorised=100000))
    assert expressions.evaluate(expressions.parse("pct(a, b) = 12.5"), _scalars(a=1, b=8))
    assert expressions.evaluate(expressions.parse("closing = opening + added \u2212 reduced"),
                                _scalars(closing=7, opening=5, added=4, reduced=2))


@pytest.mark.parametrize("text, reason", [
    ("__import__('os')", "unexpected character"),
    ("a = ", "ends where"),
    ("open(a) = 1", "unknown function"),
    ("sum(a) = 1", "table.column"),
    ("a = b c", "after the rule's end"),
])
def test_what_is_not_the_language_is_refused(text, reason):
    with pytest.raises(expressions.ExpressionError, match=reason):
        expressions.parse(text)


def test_division_by_zero_is_reported_not_raised_through():
    with pytest.raises(expressions.EvaluationError):
        expressions.evaluate(expressions.parse("a / b = 1"), _scalars(a=1, b=0))


def test_a_definition_naming_an_unknown_field_is_refused_when_saved():
    raw = copy.deepcopy(FORMS["WB/SHG/STATUS"])
    raw["rules"].append({"id": "bad", "check": "female_members <= womens",
                         "message": {"en": "x", "hi": "x"}})
    raw["rules"].append({"id": "not_a_check", "check": "members + 1",
                         "message": {"en": "x", "hi": "x"}})
    with pytest.raises(schema.DefinitionError) as refused:
        schema.load(raw)
    assert "womens" in refused.value.problems["rules[3].check"]
    assert "compares" in refused.value.problems["rules[4].check"]


def test_a_definition_without_hindi_or_a_due_rule_is_refused():
    raw = copy.deepcopy(FORMS["WB/SHG/STATUS"])
    raw["title"] = {"en": "Status report"}
    raw["due"] = {"weeks": 2}
    with pytest.raises(schema.DefinitionError) as refused:
        schema.load(raw)
    assert set(refused.value.problems) >= {"title", "due"}


def _lqr_values(**overrides):
    values = {
        "range_name": "Bardhaman", "opening": 40, "placed": 6, "closed": 3, "revived": 1,
        "taken_over": 30, "traceable": 8, "non_traceable": 4,
        "pending_5": 10, "pending_10": 6, "pending_above_10": 5,
        "assets_opening": "1000000", "assets_added": "250000", "assets_reduced": "50000",
        "liabilities_opening": "800000", "liabilities_added": "0", "liabilities_reduced": "0",
        "ardr_submitted": "500000", "ardr_sanctioned": "400000", "ardr_credited": "300000",
        "ardr_suspense": "100000", "ardr_with_liquidator": "0",
        "dues": {"opening": {"share_capital": "100000", "loans": "200000", "grants": "50000"},
                 "added": {"share_capital": "0", "loans": "10000", "grants": "0"},
                 "total": {"share_capital": "100000", "loans": "210000", "grants": "50000"},
                 "recovered": {"share_capital": "0", "loans": "30000", "grants": "0"},
                 "closing": {"share_capital": "100000", "loans": "180000", "grants": "50000"}},
        "part_b_as_on": "2025-03-31",
        "immovable": [{"society_name": "Memari Rice Mill Co-op", "placed_on": "2012-07-01",
                       "value": "2500000", "nature": "land and mill", "state": "unused"}],
        "by_type": {"pacs": {"total": 20}, "housing": {"total": 12}, "others": {"total": 10}},
        "dues_by_society": [
            {"society_name": "A", "share_capital": "60000", "loans": "180000", "grants": "0"},
            {"society_name": "B", "share_capital": "40000", "loans": "0", "grants": "50000"}],
    }
    values.update(overrides)
    return values


def _submit(code, values):
    found = form(code)
    read, problems = checking.read_values(found, values)
    assert problems == []
    return checking.check_complete(found, read)


def test_the_liquidation_return_computes_its_totals_and_passes_when_it_adds_up():
    values, problems = _submit("RCS/LQR/01", _lqr_values())
    assert problems == []
    assert values["closing"] == 42              # (40 + 6) - (3 + 1)
    assert values["assets_total"] == "1250000.00"
    assert values["assets_closing"] == "1200000.00"
    assert values["dues"]["closing"]["total"] == "330000.00"
    assert values["dues_by_society"][0]["total"] == "240000.00"


def test_every_broken_relation_of_the_liquidation_return_is_named_with_its_figures():
    broken = _lqr_values(closing=45, pending_above_10=30,
                         by_type={"pacs": {"total": 20}},
                         dues_by_society=[{"society_name": "A", "share_capital": "1",
                                           "loans": "0", "grants": "0"}])
    _values, problems = _submit("RCS/LQR/01", broken)
    by_rule = {p["rule"]: p for p in problems}
    assert by_rule["computed"]["field"] == "closing"
    assert "42" in by_rule["computed"]["message"] and "45" in by_rule["computed"]["message"]
    assert by_rule["pending_within_closing"]["figures"] == {"left": "46", "right": "42",
                                                            "operator": "<="}
    assert by_rule["annexure_1_total"]["figures"]["left"] == "20"
    assert "annexure_2_share_capital" in by_rule
    assert all(p["message_hi"] for p in problems)


def test_govt_dues_rows_must_follow_opening_plus_added_minus_recovery():
    dues = _lqr_values()["dues"]
    dues["closing"]["loans"] = "190000"
    _, problems = _submit("RCS/LQR/01", _lqr_values(dues=dues))
    assert "dues_closing_loans" in {p["rule"] for p in problems}


def test_a_draft_is_read_by_type_only_and_bad_types_are_named_in_both_languages():
    found = form("RCS/LQR/01")
    read, problems = checking.read_values(found, {"opening": 5, "placed": -1,
                                                  "assets_opening": "12.345", "nope": 1})
    assert read == {"opening": 5}
    assert {p["field"] for p in problems} == {"placed", "assets_opening", "nope"}
    assert all(p["message_hi"] for p in problems)


def test_required_fields_are_asked_for_on_submission():
    found = form("WB/SHG/STATUS")
    _, problems = checking.check_complete(found, {"shgs": 3})
    assert {"members", "recovery_percent"} <= {p["field"] for p in problems
                                               if p["rule"] == "required"}


def test_opening_must_equal_the_previous_returns_closing():
    found = form("RCS/LQR/01")
    values, _ = _submit("RCS/LQR/01", _lqr_values())
    previous, _ = _submit("RCS/LQR/01", _lqr_values(opening=36, placed=6))
    problems = {p["field"]: p for p in checking.check_continuity(found, values, previous)}
    assert problems["opening"]["figures"] == {"left": "40", "right": "38", "operator": "=="}
    # the assets' opening is last return's closing too (₹12,00,000 there, ₹10,00,000 here)
    assert problems["assets_opening"]["figures"]["right"] == "1200000"
    assert "dues.opening.loans" in problems


def test_staff_position_vacancies_are_computed_per_post_and_totalled():
    values, problems = _submit("WB/STAFF/POSITION", {
        "as_on": "2025-09-30",
        "posts": {key: {"sanctioned": 3, "existing": 2} for key in
                  ("dar", "cdo", "inspector", "head_clerk", "accountant", "ldc", "typist",
                   "driver", "process_server", "record_supplier", "group_d")}})
    assert problems == []
    assert values["posts"]["ldc"]["vacant"] == 1
    assert (values["total_sanctioned"], values["total_vacant"]) == (33, 11)


def test_table_two_working_capital_is_share_capital_reserve_deposits_borrowings():
    raw = {name: 0 for name in form("RCS/PAC/ANNUAL-T2").fields}
    raw.update(paid_up="100000", reserve="20000", deposits="5000", borrowings="75000",
               working_capital="200000")
    del raw["members"]
    values, problems = _submit("RCS/PAC/ANNUAL-T2", raw)
    assert problems == []
    assert values["working_capital"] == "200000.00"


@pytest.mark.parametrize("code, period_end, due", [
    ("RCS/LQR/01", date(2025, 3, 31), date(2025, 4, 15)),
    ("RCS/LQR/01", date(2025, 9, 30), date(2025, 10, 15)),
    ("RCS/P&D/ANNUAL-T1", date(2025, 3, 31), date(2025, 10, 31)),
    ("MSCS/ANNUAL", date(2025, 3, 31), date(2025, 9, 30)),
])
def test_due_dates_follow_each_forms_rule(code, period_end, due):
    assert periods.due_on(form(code), period_end) == due


def test_a_new_form_is_data_alone():
    raw = {
        "code": "WB/RTI/PROFORMA", "version": 1, "jurisdiction": "West Bengal",
        "filer": "office", "title": {"en": "RTI proforma", "hi": "आरटीआई प्रोफ़ॉर्मा"},
        "period": {"ends": ["03-31", "06-30", "09-30", "12-31"]},
        "due": {"days_after_end": 10},
        "sections": [{"id": "rti", "title": {"en": "Applications", "hi": "आवेदन"}, "fields": [
            {"id": "received", "type": "count", "required": True,
             "label": {"en": "Received", "hi": "प्राप्त"}},
            {"id": "disposed", "type": "count", "required": True,
             "label": {"en": "Disposed", "hi": "निपटाए"}}]}],
        "rules": [{"id": "disposed_within_received", "check": "disposed <= received",
                   "message": {"en": "Disposed cannot exceed received",
                               "hi": "निपटाए गए प्राप्त से अधिक नहीं हो सकते"}}],
    }
    found = schema.load(raw)
    _, problems = checking.check_complete(found, {"received": 4, "disposed": 5})
    assert [p["rule"] for p in problems] == ["disposed_within_received"]
    assert periods.due_on(found, date(2025, 6, 30)) == date(2025, 7, 10)


def test_rupees_are_grouped_in_lakhs_and_crores():
    assert rupees_text(paise_of(Decimal("12345678.5"))) == "₹1,23,45,678.50"
    assert rupees_text(paise_of(100000)) == "₹1,00,000"
