"""Eligibility for financial assistance, rule by rule: each rule of the state's rule set
(``rules/*.json``, data) compares a figure with a threshold, both written in the forms'
rule language, for the kinds of assistance it names and, with ``when``, only for the
societies it concerns (profit-earning, weak, newly registered, state-level). Each verdict
shows the figure, the operator, the threshold and pass or fail, in exact decimals.

The application window is data too: ``apply_by`` (MM-DD, 30 June in Meghalaya)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from services.common.errors import InvalidInput, NotFound
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
class RuleSet:
    jurisdiction: str
    version: int
    apply_by: str
    figures: dict[str, str]
    rules: tuple[Rule, ...]
    # the budget's split between state-level and other societies: the kinds it covers and
    # each side's percent ({"kinds": [...], "state": "30", "primary": "70"}), or None
    budget_split: dict | None = None


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
    return RuleSet(raw["jurisdiction"], raw["version"], raw["apply_by"], raw["figures"],
                   tuple(rules), split)


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


def evaluate(state: str, kind: str, given: dict[str, Any], applied_on: date) -> dict:
    if kind not in KINDS:
        raise InvalidInput("Unknown kind of assistance.",
                           fields={"kind": f"one of {', '.join(KINDS)}"})
    rule_set = rule_sets().get(state)
    if rule_set is None:
        raise NotFound("No assistance rules for this state.", {"state": state})
    figures = _figures(rule_set, given)
    missing: set[str] = set()

    def scalar(name: str) -> Decimal:
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
                   "check": rule.text}
        if missing:
            verdict["missing"] = sorted(missing)
        verdicts.append(verdict)
    return {"state": state, "kind": kind, "rules_version": rule_set.version,
            "eligible": all(v["passed"] for v in verdicts), "verdicts": verdicts}
