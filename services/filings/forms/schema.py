"""The shape of a form definition, checked when a definition is saved (never when a
society submits): every section, field, table and rule is well formed, every rule parses,
and every name a rule or a computed field reads exists in the form.

A definition (JSON, one file per version under ``definitions/``)::

    {"code": "RCS/LQR/01", "version": 1, "jurisdiction": "West Bengal" | "national",
     "title": {"en": ..., "hi": ...}, "filer": "society" | "office",
     "society_types": [...]  (optional: which societies it applies to),
     "period": {"ends": ["03-31", "09-30"]},
     "due": {"days_after_end": 15} | {"months_after_end": 6} | {"on": "10-31"},
     "sections": [{"id", "title", "fields": [FIELD...], "tables": [TABLE...]}],
     "rules": [{"id", "check", "when"?, "message": {"en", "hi"}}],
     "continuity": [{"field", "previous"}]}

    FIELD: {"id", "label": {"en", "hi"}, "type", "required"?, "compute"?, "choices"?,
            "signed"?}
    TABLE: {"id", "label", "columns": [FIELD...], "rows": [{"key", "label"}] (fixed rows)
            or "max_rows": n (rows the filer adds), "min_rows"?, "row_rules": [RULE...]}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from services.filings.forms import expressions as ex

TYPES = {
    "count": "a whole number, 0 or more",
    "amount": "rupees (₹), up to two decimals",
    "amount_lakh": "₹ lakh, up to two decimals",
    "percent": "a percentage, 0 to 100",
    "number": "a number",
    "date": "a date (YYYY-MM-DD)",
    "text": "text",
    "choice": "one of the listed choices",
    "document": "the id of an uploaded document",
}
NUMERIC = ("count", "amount", "amount_lakh", "percent", "number")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
JURISDICTION_NATIONAL = "national"


class DefinitionError(ValueError):
    """A definition that cannot be saved; ``problems`` maps a path in it to the reason."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass
class Rule:
    id: str
    check: ex.Node
    text: str
    message: dict[str, str]
    when: ex.Node | None = None


@dataclass
class Column:
    id: str
    type: str
    label: dict[str, str]
    required: bool = False
    compute: ex.Node | None = None
    choices: tuple[str, ...] = ()
    signed: bool = False


@dataclass
class Table:
    id: str
    label: dict[str, str]
    columns: dict[str, Column]
    row_keys: tuple[str, ...] = ()        # fixed rows; empty: rows the filer adds
    max_rows: int = 0
    min_rows: int = 0
    row_rules: list[Rule] = field(default_factory=list)

    @property
    def fixed(self) -> bool:
        return bool(self.row_keys)


@dataclass
class Form:
    code: str
    version: int
    jurisdiction: str
    title: dict[str, str]
    filer: str
    society_types: tuple[str, ...]
    period_ends: tuple[str, ...]
    due: dict[str, Any]
    fields: dict[str, Column]
    tables: dict[str, Table]
    rules: list[Rule]
    continuity: list[tuple[str, str]]
    raw: dict[str, Any]


def _label(value: Any, path: str, problems: dict[str, str]) -> dict[str, str]:
    if not (isinstance(value, dict) and isinstance(value.get("en"), str)
            and isinstance(value.get("hi"), str) and value["en"] and value["hi"]):
        problems[path] = "needs an English and a Hindi text: {\"en\": ..., \"hi\": ...}"
        return {"en": "", "hi": ""}
    return {"en": value["en"], "hi": value["hi"]}


def _parse_rule_text(text: Any, path: str, problems: dict[str, str]) -> ex.Node | None:
    try:
        return ex.parse(text)
    except ex.ExpressionError as exc:
        problems[path] = f"cannot be parsed: {exc}"
        return None


def _column(raw: Any, path: str, problems: dict[str, str]) -> Column | None:
    if not isinstance(raw, dict):
        problems[path] = "must be an object"
        return None
    ident = raw.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        problems[f"{path}.id"] = "an id is lower case letters, digits and _ (a letter first)"
        return None
    kind = raw.get("type")
    if kind not in TYPES:
        problems[f"{path}.type"] = f"unknown type {kind!r} (known: {', '.join(TYPES)})"
        return None
    compute = None
    if raw.get("compute") is not None:
        if kind not in NUMERIC:
            problems[f"{path}.compute"] = "only a numeric field can be computed"
        compute = _parse_rule_text(raw["compute"], f"{path}.compute", problems)
        if compute is not None and ex.is_comparison(compute):
            problems[f"{path}.compute"] = "a computed field needs a value, not a comparison"
    choices = tuple(raw.get("choices") or ())
    if kind == "choice" and not choices:
        problems[f"{path}.choices"] = "a choice field lists its choices"
    return Column(ident, kind, _label(raw.get("label"), f"{path}.label", problems),
                  bool(raw.get("required", False)), compute, choices,
                  bool(raw.get("signed", False)))


def _rule(raw: Any, path: str, problems: dict[str, str]) -> Rule | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) \
            or not _ID.match(raw["id"]):
        problems[path] = "a rule has an id (lower case), a check and a message"
        return None
    check = _parse_rule_text(raw.get("check"), f"{path}.check", problems)
    if check is not None and not ex.is_comparison(check):
        problems[f"{path}.check"] = "a rule compares two values (=, <=, >=, <, >, !=)"
    when = None
    if raw.get("when") is not None:
        when = _parse_rule_text(raw["when"], f"{path}.when", problems)
        if when is not None and not ex.is_comparison(when):
            problems[f"{path}.when"] = "a condition compares two values"
    message = _label(raw.get("message"), f"{path}.message", problems)
    if check is None:
        return None
    return Rule(raw["id"], check, raw.get("check"), message, when)


def _table(raw: Any, path: str, problems: dict[str, str]) -> Table | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) \
            or not _ID.match(raw["id"]):
        problems[path] = "a table has an id (lower case), a label and columns"
        return None
    columns: dict[str, Column] = {}
    for i, col in enumerate(raw.get("columns") or []):
        parsed = _column(col, f"{path}.columns[{i}]", problems)
        if parsed is not None:
            if parsed.id in columns:
                problems[f"{path}.columns[{i}].id"] = f"column {parsed.id!r} twice"
            columns[parsed.id] = parsed
    if not columns:
        problems[f"{path}.columns"] = "a table has at least one column"
    keys = []
    for i, row in enumerate(raw.get("rows") or []):
        key = row.get("key") if isinstance(row, dict) else None
        if not isinstance(key, str) or not _ID.match(key) or key in keys:
            problems[f"{path}.rows[{i}].key"] = "a row key is a unique lower-case id"
            continue
        _label(row.get("label"), f"{path}.rows[{i}].label", problems)
        keys.append(key)
    max_rows = raw.get("max_rows", 0)
    if not keys and not (isinstance(max_rows, int) and 1 <= max_rows <= 10_000):
        problems[f"{path}.max_rows"] = "a table without fixed rows says how many rows it " \
                                       "takes (1 to 10000)"
    rules = [r for i, raw_rule in enumerate(raw.get("row_rules") or [])
             if (r := _rule(raw_rule, f"{path}.row_rules[{i}]", problems)) is not None]
    return Table(raw["id"], _label(raw.get("label"), f"{path}.label", problems), columns,
                 tuple(keys), max_rows if not keys else len(keys),
                 int(raw.get("min_rows", 0) or 0), rules)


def known_names(fields: dict[str, Column], tables: dict[str, Table]) -> set[str]:
    """Names a form-level rule may read."""
    found = set(fields)
    for table in tables.values():
        found.add(table.id)
        for col in table.columns:
            found.add(f"{table.id}.{col}")
            for key in table.row_keys:
                found.add(f"{table.id}.{key}.{col}")
    return found


def _unknown(node: ex.Node, allowed: set[str], tables: dict[str, Table],
             path: str, problems: dict[str, str]) -> None:
    missing = sorted(n for n in ex.names(node) if n not in allowed)
    # a bare table or table.column is only read through count()/sum()
    bare = sorted(n for n in ex.names(node) - _call_names(node)
                  if n in tables or (n.count(".") == 1 and n in allowed))
    if missing:
        problems[path] = f"refers to unknown fields: {', '.join(missing)}"
    elif bare:
        problems[path] = f"reads {', '.join(bare)} outside sum()/count()"


def _call_names(node: ex.Node) -> set[str]:
    if node.kind == "call" and node.value in ("sum", "count"):
        return {node.args[0].value}
    found: set[str] = set()
    for arg in node.args:
        found |= _call_names(arg)
    return found


def load(raw: Any) -> Form:
    """A checked Form from a definition's JSON, or DefinitionError naming every problem."""
    problems: dict[str, str] = {}
    if not isinstance(raw, dict):
        raise DefinitionError({"": "a definition is a JSON object"})
    code = raw.get("code")
    if not isinstance(code, str) or not re.match(r"^[A-Za-z0-9/&._ -]{2,40}$", code):
        problems["code"] = "a form's code: 2 to 40 letters, digits, / & . _ - or spaces"
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems["version"] = "a version is a whole number from 1"
    jurisdiction = raw.get("jurisdiction")
    if not isinstance(jurisdiction, str) or not 2 <= len(jurisdiction) <= 60:
        problems["jurisdiction"] = "a state's name, or \"national\""
    title = _label(raw.get("title"), "title", problems)
    filer = raw.get("filer")
    if filer not in ("society", "office"):
        problems["filer"] = "who files it: \"society\" or \"office\""
    period = raw.get("period") or {}
    ends = tuple(period.get("ends") or ()) if isinstance(period, dict) else ()
    if not ends or not all(isinstance(e, str) and _MONTH_DAY.match(e) for e in ends):
        problems["period.ends"] = "the days periods end on, as MM-DD (\"03-31\")"
    due = raw.get("due") or {}
    if not (isinstance(due, dict) and len(due) == 1 and (
            (isinstance(due.get("days_after_end"), int) and 0 <= due["days_after_end"] <= 366)
            or (isinstance(due.get("months_after_end"), int)
                and 0 <= due["months_after_end"] <= 24)
            or (isinstance(due.get("on"), str) and _MONTH_DAY.match(due["on"])))):
        problems["due"] = ("one due-date rule: {\"days_after_end\": n}, "
                           "{\"months_after_end\": n} or {\"on\": \"MM-DD\"}")
    fields: dict[str, Column] = {}
    tables: dict[str, Table] = {}
    sections = raw.get("sections") or []
    if not sections:
        problems["sections"] = "a form has at least one section"
    for s, section in enumerate(sections):
        path = f"sections[{s}]"
        if not isinstance(section, dict) or not isinstance(section.get("id"), str):
            problems[path] = "a section has an id, a title, fields and/or tables"
            continue
        _label(section.get("title"), f"{path}.title", problems)
        for i, col in enumerate(section.get("fields") or []):
            parsed = _column(col, f"{path}.fields[{i}]", problems)
            if parsed is not None:
                if parsed.id in fields or parsed.id in tables:
                    problems[f"{path}.fields[{i}].id"] = f"{parsed.id!r} is named twice"
                fields[parsed.id] = parsed
        for i, tab in enumerate(section.get("tables") or []):
            parsed = _table(tab, f"{path}.tables[{i}]", problems)
            if parsed is not None:
                if parsed.id in fields or parsed.id in tables:
                    problems[f"{path}.tables[{i}].id"] = f"{parsed.id!r} is named twice"
                tables[parsed.id] = parsed
    allowed = known_names(fields, tables)
    rules = []
    for i, r in enumerate(raw.get("rules") or []):
        rule = _rule(r, f"rules[{i}]", problems)
        if rule is None:
            continue
        if rule.id in {x.id for x in rules}:
            problems[f"rules[{i}].id"] = f"rule {rule.id!r} twice"
        _unknown(rule.check, allowed, tables, f"rules[{i}].check", problems)
        if rule.when is not None:
            _unknown(rule.when, allowed, tables, f"rules[{i}].when", problems)
        rules.append(rule)
    for name, col in fields.items():
        if col.compute is not None:
            _unknown(col.compute, allowed - {name}, tables, f"fields.{name}.compute", problems)
    for table in tables.values():
        inside = set(table.columns)
        for rule in table.row_rules:
            _unknown(rule.check, inside, {}, f"tables.{table.id}.row_rules.{rule.id}",
                     problems)
        for col in table.columns.values():
            if col.compute is not None:
                _unknown(col.compute, inside - {col.id}, {},
                         f"tables.{table.id}.columns.{col.id}.compute", problems)
    continuity = []
    for i, c in enumerate(raw.get("continuity") or []):
        if not (isinstance(c, dict) and c.get("field") in allowed
                and c.get("previous") in allowed):
            problems[f"continuity[{i}]"] = ("{\"field\": this return's field, "
                                            "\"previous\": the previous return's field}, "
                                            "both fields of the form")
            continue
        continuity.append((c["field"], c["previous"]))
    from services.filings.returns.prefill import check as check_prefill

    problems.update(check_prefill(raw, set(fields), tables))
    if problems:
        raise DefinitionError(problems)
    return Form(code, version, jurisdiction, title,
                filer, tuple(raw.get("society_types") or ()), ends, due, fields, tables,
                rules, continuity, raw)
