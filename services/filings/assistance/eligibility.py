"""Eligibility for financial assistance, rule by rule: each rule of the state's rule set
(``rules/*.json``, data) compares a figure with a threshold, both written in the forms'
rule language, for the kinds of assistance it names and, with ``when``, only for the
societies it concerns (profit-earning, weak, newly registered, state-level). Each verdict
shows the figure, the operator, the threshold and pass or fail, in exact decimals.

The application window is data too: ``apply_by`` (MM-DD, 30 June in Meghalaya).

With the society's records (``records.read``), the figures the platform holds are taken
from there (``records.figures`` of the rule set: the audit status, the latest accepted
annual return's fields): such a figure is marked with its source, and one the applicant
declared too is shown beside it, the platform's figure deciding (an accepted return has
been checked by the office, the declared figure has not). The rules that need history
(``history_rules``, history.py) are checked year by year from the same records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from services.common.errors import InvalidInput, NotFound
from services.filings.assistance import history
from services.filings.assistance.records import Records, year_of, years_back
from services.filings.forms import catalogue
from services.filings.forms import expressions as ex

RULES = Path(__file__).parent / "rules"
KINDS = ("share_capital", "grant", "loan")


@dataclass(frozen=True)
class Rule:
    id: str
    kinds: tuple[str, ...]
    figure: ex.Node
    operator: str
    threshold: ex.Node
    when: ex.Node | None
    message: dict[str, str]
    text: str


@dataclass(frozen=True)
class KnownFigure:
    """A figure the platform supplies: ``audit`` (the years whose audit is pending) or
    ``return`` (an expression over the latest accepted annual return's fields, or the
    return of ``years_before`` years before it)."""

    name: str
    source: str
    value: ex.Node | None = None
    years_before: int = 0


@dataclass(frozen=True)
class RuleSet:
    jurisdiction: str
    version: int
    apply_by: str
    figures: dict[str, str]
    rules: tuple[Rule, ...]
    # the budget's split between state-level and other societies: the kinds it covers and
    # each side's percent ({"kinds": [...], "state": "30", "primary": "70"}), or None
    budget_split: dict | None = None
    # the annual returns whose accepted values the rules read, the first one preferred
    returns: tuple[str, ...] = ()
    known: tuple[KnownFigure, ...] = ()
    not_held: dict[str, dict] | None = None
    history_rules: tuple[history.HistoryRule, ...] = ()


def _return_fields(codes: tuple[str, ...]) -> set[str]:
    """The fields of the shipped definitions of those forms (every version)."""
    fields = set()
    for raw in catalogue.shipped():
        if raw["code"] in codes:
            for section in raw["sections"]:
                fields |= {f["id"] for f in section.get("fields", ())}
    return fields


def _known(raw: dict, figures: set[str], fields: set[str]) -> tuple[KnownFigure, ...]:
    known = []
    for name, spec in (raw or {}).items():
        if name not in figures:
            raise ValueError(f"records.figures: {name} is not a figure of these rules")
        if spec["from"] == "audit":
            if name != "audit_years_pending":
                raise ValueError("records.figures: the audit gives audit_years_pending")
            known.append(KnownFigure(name, "audit"))
            continue
        if spec["from"] != "return":
            raise ValueError(f"records.figures.{name}: from audit or return")
        value = ex.parse(spec["value"])
        if ex.names(value) - fields:
            raise ValueError(f"records.figures.{name} reads fields the returns do not "
                             f"have: {sorted(ex.names(value) - fields)}")
        known.append(KnownFigure(name, "return", value, int(spec.get("years_before", 0))))
    return tuple(known)


def load(raw: dict) -> RuleSet:
    """A rule set from its JSON; a rule reading an unknown figure is refused here."""
    known = set(raw["figures"])
    rules = []
    for item in raw["rules"]:
        figure, threshold = ex.parse(item["figure"]), ex.parse(item["threshold"])
        when = ex.parse(item["when"]) if item.get("when") else None
        read = ex.names(figure) | ex.names(threshold) | (ex.names(when) if when else set())
        if read - known:
            raise ValueError(f"rule {item['id']} reads unknown figures {sorted(read - known)}")
        if item["operator"] not in ("<=", ">=", "<", ">", "="):
            raise ValueError(f"rule {item['id']}: unknown operator {item['operator']}")
        if set(item["kinds"]) - set(KINDS):
            raise ValueError(f"rule {item['id']}: unknown kinds")
        rules.append(Rule(item["id"], tuple(item["kinds"]), figure, item["operator"],
                          threshold, when, item["message"],
                          f"{item['figure']} {item['operator']} {item['threshold']}"))
    split = raw.get("budget_split")
    if split is not None and (set(split.get("kinds", ())) - set(KINDS) or Decimal(
            split["state"]) + Decimal(split["primary"]) != 100):
        raise ValueError("budget_split: known kinds and two percents adding up to 100")
    records = raw.get("records", {})
    returns = tuple(records.get("returns", ()))
    fields = _return_fields(returns)
    not_held = records.get("not_held", {})
    for name, reason in not_held.items():
        if not (reason.get("en") and reason.get("hi")):
            raise ValueError(f"records.not_held.{name}: the reason in English and Hindi")
    histories = tuple(history.load(item, known, fields, KINDS, not_held)
                      for item in raw.get("history_rules", ()))
    ids = [r.id for r in rules] + [r.id for r in histories]
    if len(ids) != len(set(ids)):
        raise ValueError("rule ids repeat")
    return RuleSet(raw["jurisdiction"], raw["version"], raw["apply_by"], raw["figures"],
                   tuple(rules), split, returns, _known(records.get("figures"), known,
                                                        fields), not_held, histories)


@cache
def rule_sets() -> dict[str, RuleSet]:
    found = {}
    for path in sorted(RULES.glob("*.json")):
        found_set = load(json.loads(path.read_text(encoding="utf-8")))
        found[found_set.jurisdiction] = found_set
    return found


def _figures(rule_set: RuleSet, given: dict[str, Any]) -> dict[str, Decimal]:
    unknown = sorted(set(given) - set(rule_set.figures))
    bad = {}
    values = {}
    for name, value in given.items():
        if name in unknown:
            continue
        try:
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
            values[name] = number
        except (InvalidOperation, ValueError):
            bad[f"figures.{name}"] = "a number"
    bad.update({f"figures.{name}": "not a figure of these rules" for name in unknown})
    if bad:
        raise InvalidInput("Some figures cannot be read.", fields=bad)
    return values


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def known_figures(rule_set: RuleSet, records: Records) -> tuple[dict[str, tuple[
        Decimal, dict]], dict[str, dict]]:
    """The figures the platform holds, each with its source, and for each it should hold
    but does not, why (no accepted return, a blank field)."""
    found: dict[str, tuple[Decimal, dict]] = {}
    absent: dict[str, dict] = {}
    latest = records.latest_return()
    for known in rule_set.known:
        if known.source == "audit":
            audit = records.audit
            found[known.name] = (Decimal(audit["years_pending"]), {
                "source": "audit", "as_on": audit["as_on"], "category": audit["category"],
                "pending_years": audit["pending_years"],
                "last_audited_year": audit["last_audited_year"]})
            continue
        if latest is None:
            absent[known.name] = {"en": "no accepted annual return on the platform",
                                  "hi": "प्लेटफ़ॉर्म पर कोई स्वीकृत वार्षिक विवरण नहीं"}
            continue
        year = years_back(year_of(latest.period_end), known.years_before)
        found_return = records.returns.get(year)
        if found_return is None:
            absent[known.name] = {"en": f"no accepted annual return for {year}",
                                  "hi": f"{year} का कोई स्वीकृत वार्षिक विवरण नहीं"}
            continue
        blank = []

        def field(name: str, of=found_return, blank=blank) -> Decimal:
            value = of.value(name)
            if value is None:
                blank.append(name)
                return Decimal(0)
            return value

        value = ex.evaluate(known.value, ex.Values(field, lambda t, c: [], lambda t: 0))
        if blank:
            absent[known.name] = {"en": f"the return for {year} gives no {blank[0]}",
                                  "hi": f"{year} के विवरण में {blank[0]} नहीं है"}
            continue
        found[known.name] = (value, found_return.source())
    return found, absent


def evaluate(state: str, kind: str, given: dict[str, Any], applied_on: date,
             records: Records | None = None) -> dict:
    """Every rule of the state's set for this kind, each verdict with its figures and
    their sources. Without ``records`` (no society named) every figure is the
    applicant's and the history rules are listed as not checked."""
    if kind not in KINDS:
        raise InvalidInput("Unknown kind of assistance.",
                           fields={"kind": f"one of {', '.join(KINDS)}"})
    rule_set = rule_sets().get(state)
    if rule_set is None:
        raise NotFound("No assistance rules for this state.", {"state": state})
    declared = _figures(rule_set, given)
    known, absent = known_figures(rule_set, records) if records else ({}, {})
    figures = {**declared, **{name: value for name, (value, _) in known.items()}}
    sources: dict[str, dict] = {}
    for name, value in declared.items():
        sources[name] = {"value": _text(value), "source": "declared"}
    for name, (value, source) in known.items():
        sources[name] = {"value": _text(value), **source}
        if name in declared:
            sources[name]["declared"] = _text(declared[name])
            sources[name]["declared_differs"] = declared[name] != value
    for name, reason in absent.items():
        if name in sources:
            sources[name]["not_on_record"] = reason
    missing: set[str] = set()
    read: set[str] = set()

    def scalar(name: str) -> Decimal:
        read.add(name)
        if name not in figures:
            missing.add(name)
            return Decimal(0)
        return figures[name]

    scope = ex.Values(scalar, lambda t, c: [], lambda t: 0)
    month, day = (int(x) for x in rule_set.apply_by.split("-"))
    deadline = date(applied_on.year, month, day)
    verdicts = [{"rule": "apply_by", "figure": applied_on.isoformat(), "operator": "<=",
                 "threshold": deadline.isoformat(), "passed": applied_on <= deadline,
                 "message": f"Applications by {deadline.strftime('%d-%m-%Y')}",
                 "message_hi": f"आवेदन {deadline.strftime('%d-%m-%Y')} तक"}]
    for rule in rule_set.rules:
        if kind not in rule.kinds:
            continue
        missing.clear()
        read.clear()
        # a rule whose condition cannot be decided (a figure missing) is shown, failing
        if rule.when is not None and not ex.evaluate(rule.when, scope) and not missing:
            continue
        figure, threshold = ex.evaluate(rule.figure, scope), ex.evaluate(rule.threshold, scope)
        passed = {"<=": figure <= threshold, ">=": figure >= threshold,
                  "<": figure < threshold, ">": figure > threshold,
                  "=": figure == threshold}[rule.operator] and not missing
        verdict = {"rule": rule.id, "figure": _text(figure), "operator": rule.operator,
                   "threshold": _text(threshold), "passed": passed,
                   "message": rule.message["en"], "message_hi": rule.message["hi"],
                   "check": rule.text,
                   "figures": {name: sources[name] for name in sorted(read)
                               if name in sources}}
        if missing:
            verdict["missing"] = sorted(missing)
            reasons = {name: absent[name] for name in sorted(missing) if name in absent}
            if reasons:
                verdict["not_on_record"] = reasons
        verdicts.append(verdict)
    for rule in rule_set.history_rules:
        if kind not in rule.kinds:
            continue
        missing.clear()
        if rule.when is not None and not ex.evaluate(rule.when, scope) and not missing:
            continue
        verdicts.append(history.evaluate(rule, records, rule_set.not_held or {}))
    return {"state": state, "kind": kind, "rules_version": rule_set.version,
            "records_read": records is not None,
            "eligible": all(v["passed"] is not False for v in verdicts),
            "failed_rules": [v["rule"] for v in verdicts if v["passed"] is False],
            "left_to_committee": [v["rule"] for v in verdicts
                                  if v.get("outcome") == "not_known" and v["passed"] is None],
            "not_checked": [v["rule"] for v in verdicts
                            if v.get("outcome") == "not_checked"],
            "declared_overridden": sorted(n for n, s in sources.items()
                                          if s.get("declared_differs")),
            "figures": sources, "verdicts": verdicts}
