"""Eligibility rules that need a society's history (seed 004): profit rising year on year,
individual shares growing with the Government's contributions, past contributions
utilised, past loans recovered. Each is data in the rule set (``history_rules``), written
in the forms' rule language and checked in each of the last ``years`` financial years:

- a year's names: a field of that year's accepted annual return (``net_profit``), the same
  field of the year before (``previous.net_profit``), the assistance this service
  sanctioned the society for that year (``sanctioned.share_capital``, in ₹), what
  followed those sanctions on the platform (funds.py), up to the day of evaluation:
  ``released.<kind>`` (the funds released), ``utilised.<kind>`` (the utilisation
  certificates), ``repaid.<kind>`` (a loan's principal repaid) and ``due.<kind>`` (its
  principal fallen due under the schedule sanctioned), or a name the platform does not
  hold (``not_held``, each with the reason). A sanction with no release recorded leaves
  the last four not known; one released with no certificate recorded leaves
  ``utilised`` not known; a loan sanctioned without a schedule leaves ``due`` not known;
- ``each_year_when`` picks the years the rule concerns (a year with a contribution);
- a year whose figures are not on record (no accepted return, a name not held) is "not
  known" with the reason, and ``if_not_known`` decides: ``refuse`` (the rule fails) or
  ``committee`` (left to the District Level Committee, neither passed nor failed).

The years are those ended by the day of evaluation; when the last one's return is not yet
due and not filed, the years before it (a society applying in June has until 30 September
to file the year just ended)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.common.india import rupees_text
from services.filings.assistance.records import Records, last_ended_year, years_back
from services.filings.forms import expressions as ex

BEHAVIOURS = ("refuse", "committee")
OPERATORS = ("<=", ">=", "<", ">", "=")
PREVIOUS, SANCTIONED = "previous.", "sanctioned."
# what followed a sanction, by the name's prefix: the record it sums and its source
FUNDS = {"released.": ("release", "releases"),
         "utilised.": ("utilisation", "utilisation certificates"),
         "repaid.": ("repayment", "repayments"),
         "due.": (None, "repayment schedule")}
KIND_TEXT = {"share_capital": ("share capital contribution", "अंश पूंजी अंशदान"),
             "grant": ("grant", "अनुदान"), "loan": ("loan", "ऋण")}


def _platform_name(name: str) -> str | None:
    """The prefix of a name the platform's assistance records answer, else None."""
    for prefix in (SANCTIONED, *FUNDS):
        if name.startswith(prefix):
            return prefix
    return None


@dataclass(frozen=True)
class HistoryRule:
    id: str
    kinds: tuple[str, ...]
    when: ex.Node | None              # on the application's figures, like any rule
    years: int
    each_year_when: ex.Node | None
    figure: ex.Node
    operator: str
    threshold: ex.Node
    if_not_known: str
    message: dict[str, str]
    none_apply: dict[str, str] | None
    text: str
    reads_returns: bool


def load(item: dict, figures: set[str], return_fields: set[str], kinds: tuple[str, ...],
         not_held: dict[str, dict]) -> HistoryRule:
    """One history rule; a name no year holds, an operator, a behaviour or a number of
    years out of bounds is refused with the rule's id."""
    rule_id = item["id"]
    figure, threshold = ex.parse(item["figure"]), ex.parse(item["threshold"])
    each = ex.parse(item["each_year_when"]) if item.get("each_year_when") else None
    when = ex.parse(item["when"]) if item.get("when") else None
    per_year = ex.names(figure) | ex.names(threshold) | (ex.names(each) if each else set())
    unknown = set()
    for name in per_year:
        prefix = _platform_name(name)
        if prefix is not None:
            if name.removeprefix(prefix) not in kinds:
                unknown.add(name)
        elif name not in not_held and name.removeprefix(PREVIOUS) not in return_fields:
            unknown.add(name)
    if when is not None and ex.names(when) - figures:
        unknown |= ex.names(when) - figures
    if unknown:
        raise ValueError(f"history rule {rule_id} reads unknown names {sorted(unknown)}")
    if item["operator"] not in OPERATORS:
        raise ValueError(f"history rule {rule_id}: unknown operator {item['operator']}")
    if item["if_not_known"] not in BEHAVIOURS:
        raise ValueError(f"history rule {rule_id}: if_not_known is one of {BEHAVIOURS}")
    if not 1 <= int(item["years"]) <= 10:
        raise ValueError(f"history rule {rule_id}: 1 to 10 years")
    if set(item["kinds"]) - set(kinds):
        raise ValueError(f"history rule {rule_id}: unknown kinds")
    reads_returns = any(n.removeprefix(PREVIOUS) in return_fields for n in per_year
                        if _platform_name(n) is None and n not in not_held)
    return HistoryRule(
        rule_id, tuple(item["kinds"]), when, int(item["years"]), each, figure,
        item["operator"], threshold, item["if_not_known"], item["message"],
        item.get("none_apply"),
        f"{item['figure']} {item['operator']} {item['threshold']}"
        + (f" in each of the last {item['years']} years"
           + (f" where {item['each_year_when']}" if each else "")), reads_returns)


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _compare(left: Decimal, operator: str, right: Decimal) -> bool:
    return {"<=": left <= right, ">=": left >= right, "<": left < right,
            ">": left > right, "=": left == right}[operator]


def years_of(rule: HistoryRule, records: Records) -> tuple[list[str], dict | None]:
    """The financial years the rule looks at, oldest first, and a note when the last
    year ended is left out because its return is not due yet."""
    last = last_ended_year(records.as_on)
    note = None
    if rule.reads_returns and last not in records.returns and not records.return_due(last):
        due = records.due_on[last].strftime("%d-%m-%Y")
        note = {"en": f"{last} is left out: its annual return is due by {due} and not "
                      f"filed yet",
                "hi": f"{last} शामिल नहीं: इसका वार्षिक विवरण {due} तक देय है और अभी "
                      f"दाखिल नहीं हुआ"}
        last = years_back(last, 1)
    return [years_back(last, back) for back in range(rule.years - 1, -1, -1)], note


def _year(rule: HistoryRule, records: Records, year: str,
          not_held: dict[str, dict]) -> dict:
    figures: dict[str, dict] = {}
    reasons: list[dict] = []

    def not_known(reason: dict) -> Decimal:
        if reason not in reasons:
            reasons.append(reason)
        return Decimal(0)

    def followed(prefix: str, kind: str) -> Decimal:
        """What the records say followed the year's sanctions of ``kind``."""
        entry, source = FUNDS[prefix]
        kind_en, kind_hi = KIND_TEXT[kind]
        paise, listed = 0, []
        for s in records.sanctioned(kind, year):
            order = s.order_reference or s.application_id
            on = f" of {s.order_date.strftime('%d-%m-%Y')}" if s.order_date else ""
            on_hi = f" दिनांक {s.order_date.strftime('%d-%m-%Y')}" if s.order_date else ""
            releases = s.of("release")
            item = {"application_id": s.application_id, "order_reference": s.order_reference,
                    "amount_sanctioned_paise": s.amount_paise}
            listed.append(item)
            if not releases:
                not_known({"en": f"no release of the {kind_en} of "
                                 f"{rupees_text(s.amount_paise)} sanctioned by order "
                                 f"{order}{on} is recorded",
                           "hi": f"आदेश {order}{on_hi} द्वारा स्वीकृत "
                                 f"{rupees_text(s.amount_paise)} के {kind_hi} की कोई राशि "
                                 f"जारी दर्ज नहीं"})
                continue
            released = sum(e.amount_paise for e in releases)
            if entry is None:
                if not s.schedule:
                    not_known({"en": f"the {kind_en} sanctioned by order {order}{on} has no "
                                     f"repayment schedule, so what has fallen due is not "
                                     f"known",
                               "hi": f"आदेश {order}{on_hi} द्वारा स्वीकृत {kind_hi} की कोई "
                                     f"अदायगी अनुसूची नहीं, इसलिए देय राशि ज्ञात नहीं"})
                    continue
                due = [i for i in s.schedule if i["due_on"] < records.as_on.isoformat()]
                item["instalments_due"] = due
                paise += sum(i["principal_paise"] for i in due)
                continue
            found = s.of(entry)
            if entry == "utilisation" and not found:
                not_known({"en": f"no utilisation certificate is recorded for the "
                                 f"{rupees_text(released)} of {kind_en} released under "
                                 f"order {order}{on}",
                           "hi": f"आदेश {order}{on_hi} के अंतर्गत जारी "
                                 f"{rupees_text(released)} {kind_hi} का कोई उपयोग प्रमाणपत्र "
                                 f"दर्ज नहीं"})
                continue
            item["records"] = [e.wire() for e in found]
            paise += sum(e.amount_paise for e in found)
        figures[prefix + kind] = {"value": _text(Decimal(paise) / 100), "source": source,
                                  "text": rupees_text(paise), "as_on":
                                  records.as_on.isoformat(), "applications": listed}
        return Decimal(paise) / 100

    def scalar(name: str) -> Decimal:
        prefix = _platform_name(name)
        if prefix in FUNDS:
            return followed(prefix, name.removeprefix(prefix))
        if name.startswith(SANCTIONED):
            sanctions = records.sanctioned(name.removeprefix(SANCTIONED), year)
            paise = sum(s.amount_paise for s in sanctions)
            figures[name] = {"value": _text(Decimal(paise) / 100), "source": "sanctions",
                             "text": rupees_text(paise),
                             "applications": [{"application_id": s.application_id,
                                               "order_reference": s.order_reference,
                                               "order_date": s.order_date.isoformat()
                                               if s.order_date else None,
                                               "amount_paise": s.amount_paise}
                                              for s in sanctions]}
            return Decimal(paise) / 100
        if name in not_held:
            return not_known(not_held[name])
        field = name.removeprefix(PREVIOUS)
        of_year = years_back(year, 1) if name.startswith(PREVIOUS) else year
        found = records.returns.get(of_year)
        if found is None:
            return not_known({"en": f"no accepted annual return for {of_year}",
                              "hi": f"{of_year} का कोई स्वीकृत वार्षिक विवरण नहीं"})
        value = found.value(field)
        if value is None:
            return not_known({"en": f"the return for {of_year} gives no {field}",
                              "hi": f"{of_year} के विवरण में {field} नहीं है"})
        figures[name] = {"value": _text(value), **found.source()}
        return value

    scope = ex.Values(scalar, lambda t, c: [], lambda t: 0)
    entry: dict = {"financial_year": year}
    if rule.each_year_when is not None:
        applies = ex.evaluate(rule.each_year_when, scope)
        if not reasons and not applies:
            return {**entry, "applies": False, "figures": figures}
    try:
        figure = ex.evaluate(rule.figure, scope)
        threshold = ex.evaluate(rule.threshold, scope)
    except ex.EvaluationError:
        not_known({"en": "a division by zero in the rule's figures",
                   "hi": "नियम के आंकड़ों में शून्य से भाग"})
        figure = threshold = Decimal(0)
    entry.update(applies=True, figures=figures)
    if reasons:
        return {**entry, "known": False, "reasons": reasons}
    return {**entry, "known": True, "figure": _text(figure), "operator": rule.operator,
            "threshold": _text(threshold),
            "passed": _compare(figure, rule.operator, threshold)}


def evaluate(rule: HistoryRule, records: Records | None,
             not_held: dict[str, dict]) -> dict:
    """The rule's verdict with its figures per year. ``passed`` is True or False when
    decided; a verdict not known is False (``refuse``) or None (``committee``)."""
    verdict = {"rule": rule.id, "history": True, "check": rule.text,
               "if_not_known": rule.if_not_known, "message": rule.message["en"],
               "message_hi": rule.message["hi"]}
    if records is None:
        return {**verdict, "outcome": "not_checked", "passed": None, "years": [],
                "not_known": {"en": "not checked: name the society so that its returns "
                                    "and earlier assistance are read",
                              "hi": "जाँच नहीं हुई: समिति का नाम दें ताकि उसके विवरण और "
                                    "पूर्व सहायता पढ़ी जा सके"}}
    years, note = years_of(rule, records)
    entries = [_year(rule, records, year, not_held) for year in years]
    if note:
        verdict["years_left_out"] = note
    applying = [e for e in entries if e["applies"]]
    unknown = [e for e in applying if not e["known"]]
    if any(e["known"] and not e["passed"] for e in applying):
        outcome, passed = "failed", False
    elif unknown:
        outcome = "not_known"
        passed = False if rule.if_not_known == "refuse" else None
        reasons = []
        for e in unknown:
            reasons += [r for r in e["reasons"] if r not in reasons]
        verdict["not_known"] = {
            "en": "Not known: " + "; ".join(r["en"] for r in reasons) + (
                ". The rule fails until the records are on the platform."
                if rule.if_not_known == "refuse" else
                ". Left to the District Level Committee."),
            "hi": "ज्ञात नहीं: " + "; ".join(r["hi"] for r in reasons) + (
                "। अभिलेख प्लेटफ़ॉर्म पर आने तक नियम विफल है।"
                if rule.if_not_known == "refuse" else "। ज़िला स्तरीय समिति पर छोड़ा गया।")}
    else:
        outcome, passed = "passed", True
        if not applying and rule.none_apply:
            verdict["none_apply"] = {"en": rule.none_apply["en"].format(
                years=", ".join(years)), "hi": rule.none_apply["hi"].format(
                years=", ".join(years))}
    return {**verdict, "outcome": outcome, "passed": passed, "years": entries}
