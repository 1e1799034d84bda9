"""A filing's values against its form: each value read by its type (on every save, a
draft's too), then, on submission, required fields, computed fields, each table's row
rules and the form's rules. Every failure names the field or rule, in English and Hindi,
with the figures on both sides.

Values are ``{field: value, table: [{column: value}] | {row_key: {column: value}}}``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from services.common.india import paise_of, rupees_text
from services.filings.forms import expressions as ex
from services.filings.forms.schema import NUMERIC, TYPES, Column, Form, Rule, Table

Problem = dict[str, Any]

_TYPE_HI = {
    "count": "0 या अधिक पूर्ण संख्या", "amount": "रुपये (₹), दो दशमलव तक",
    "amount_lakh": "₹ लाख, दो दशमलव तक", "percent": "प्रतिशत, 0 से 100",
    "number": "संख्या", "date": "तिथि (YYYY-MM-DD)", "text": "पाठ",
    "choice": "दिए गए विकल्पों में से एक", "document": "अपलोड किए गए दस्तावेज़ की आईडी",
}


def _problem(field: str, rule: str, en: str, hi: str, **figures: Any) -> Problem:
    found = {"field": field, "rule": rule, "message": en, "message_hi": hi}
    if figures:
        found["figures"] = figures
    return found


def read_value(col: Column, value: Any) -> Any:
    """The value as stored, or ValueError."""
    if value is None or value == "":
        return None
    if col.type in NUMERIC:
        if isinstance(value, bool):
            raise ValueError
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError from exc
        if not number.is_finite():
            raise ValueError
        if col.type == "count" and (number != number.to_integral_value() or number < 0):
            raise ValueError
        if col.type in ("amount", "amount_lakh") and (
                number.as_tuple().exponent < -2 or (number < 0 and not col.signed)):
            raise ValueError
        if col.type == "percent" and not 0 <= number <= 100:
            raise ValueError
        return int(number) if col.type == "count" else str(number)
    if col.type == "date":
        return date.fromisoformat(str(value)).isoformat()
    if not isinstance(value, str) or len(value) > 4000:
        raise ValueError
    if col.type == "choice" and value not in col.choices:
        raise ValueError
    if col.type == "document" and not 1 <= len(value) <= 64:
        raise ValueError
    return value


def _read_cell(col: Column, value: Any, path: str, problems: list[Problem]) -> Any:
    try:
        return read_value(col, value)
    except (ValueError, TypeError):
        extra = f" ({', '.join(col.choices)})" if col.type == "choice" else ""
        problems.append(_problem(path, "type", f"{col.label['en']}: {TYPES[col.type]}{extra}",
                                 f"{col.label['hi']}: {_TYPE_HI[col.type]}{extra}"))
        return None


def read_values(form: Form, values: Any) -> tuple[dict[str, Any], list[Problem]]:
    """Every supplied value read by its type; unknown names are problems too."""
    problems: list[Problem] = []
    if not isinstance(values, dict):
        return {}, [_problem("values", "type", "values are an object of fields",
                             "मान फ़ील्डों का एक ऑब्जेक्ट हैं")]
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in form.fields:
            read = _read_cell(form.fields[name], value, name, problems)
            if read is not None:
                out[name] = read
        elif name in form.tables:
            out[name] = _read_table(form.tables[name], value, problems)
        else:
            problems.append(_problem(name, "unknown_field", f"{name}: not a field of {form.code}",
                                     f"{name}: {form.code} का फ़ील्ड नहीं है"))
    return out, problems


def _read_table(table: Table, value: Any, problems: list[Problem]) -> Any:
    if table.fixed:
        if not isinstance(value, dict):
            problems.append(_problem(table.id, "type", f"{table.label['en']}: rows by key",
                                     f"{table.label['hi']}: पंक्तियाँ कुंजी के अनुसार"))
            return {}
        rows = {}
        for key, row in value.items():
            if key not in table.row_keys:
                problems.append(_problem(f"{table.id}.{key}", "unknown_row",
                                         f"{table.label['en']}: no row {key!r}",
                                         f"{table.label['hi']}: कोई पंक्ति {key!r} नहीं"))
                continue
            rows[key] = _read_row(table, row, f"{table.id}.{key}", problems)
        return rows
    if not isinstance(value, list) or len(value) > table.max_rows:
        problems.append(_problem(table.id, "rows", f"{table.label['en']}: a list of at most "
                                 f"{table.max_rows} rows",
                                 f"{table.label['hi']}: अधिकतम {table.max_rows} पंक्तियों की सूची"))
        return []
    return [_read_row(table, row, f"{table.id}[{i}]", problems) for i, row in enumerate(value)]


def _read_row(table: Table, row: Any, path: str, problems: list[Problem]) -> dict:
    if not isinstance(row, dict):
        problems.append(_problem(path, "type", "a row is an object of columns",
                                 "पंक्ति स्तंभों का एक ऑब्जेक्ट है"))
        return {}
    out = {}
    for name, value in row.items():
        col = table.columns.get(name)
        if col is None:
            problems.append(_problem(f"{path}.{name}", "unknown_field",
                                     f"{table.label['en']}: no column {name!r}",
                                     f"{table.label['hi']}: कोई स्तंभ {name!r} नहीं"))
            continue
        read = _read_cell(col, value, f"{path}.{name}", problems)
        if read is not None:
            out[name] = read
    return out


def _number(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _table_rows(values: dict, table: Table) -> list[dict]:
    found = values.get(table.id)
    if table.fixed:
        found = found or {}
        return [found.get(key, {}) for key in table.row_keys]
    return list(found or [])


def _values_of(form: Form, values: dict) -> ex.Values:
    def scalar(name: str) -> Decimal:
        if name in form.fields:
            return _number(values.get(name))
        table, key, column = name.split(".")
        return _number((values.get(table) or {}).get(key, {}).get(column))

    def column(table: str, col: str) -> list[Decimal]:
        return [_number(row.get(col)) for row in _table_rows(values, form.tables[table])]

    def rows(table: str) -> int:
        return len([r for r in _table_rows(values, form.tables[table]) if r])

    return ex.Values(scalar, column, rows)


def _row_values(row: dict) -> ex.Values:
    return ex.Values(lambda name: _number(row.get(name)), lambda t, c: [], lambda t: 0)


def _show(value: Any, col: Column | None = None) -> str:
    if isinstance(value, Decimal) and col is not None and col.type == "amount":
        return rupees_text(paise_of(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() \
            else format(value, "f")
    return str(value)


def compute(form: Form, values: dict, problems: list[Problem]) -> dict:
    """Fill computed fields and columns; a supplied value that differs is a problem."""
    out = dict(values)
    for table in form.tables.values():
        computed = [c for c in table.columns.values() if c.compute is not None]
        if not computed or table.id not in out:
            continue
        rows = out[table.id]
        items = rows.items() if table.fixed else enumerate(rows)
        for key, row in list(items):
            path = f"{table.id}.{key}" if table.fixed else f"{table.id}[{key}]"
            for col in computed:
                _fill(col, row, _row_values(row), f"{path}.{col.id}", problems)
    scope = _values_of(form, out)
    for col in form.fields.values():
        if col.compute is not None:
            _fill(col, out, scope, col.id, problems)
    return out


def _fill(col: Column, target: dict, scope: ex.Values, path: str,
          problems: list[Problem]) -> None:
    try:
        value = ex.evaluate(col.compute, scope)
    except ex.EvaluationError:
        return   # e.g. a percentage of nothing: left for the filer
    if col.type == "count":
        value = value.to_integral_value()
    elif col.type in ("amount", "amount_lakh", "percent"):
        value = value.quantize(Decimal("0.01"))
    supplied = target.get(col.id)
    if supplied is not None and _number(supplied) != value:
        problems.append(_problem(
            path, "computed", f"{col.label['en']} must be {_show(value, col)} "
                              f"(computed), not {_show(_number(supplied), col)}",
            f"{col.label['hi']} {_show(value, col)} होना चाहिए (गणना से), "
            f"{_show(_number(supplied), col)} नहीं", expected=str(value), given=str(supplied)))
    target[col.id] = int(value) if col.type == "count" else str(value)


def _check(rule: Rule, scope: ex.Values, field: str) -> Problem | None:
    try:
        if rule.when is not None and not ex.evaluate(rule.when, scope):
            return None
        if ex.evaluate(rule.check, scope):
            return None
        left, right = (ex.evaluate(side, scope) for side in rule.check.args)
    except ex.EvaluationError as exc:
        return _problem(field, rule.id, f"{rule.message['en']} (cannot be evaluated: {exc})",
                        f"{rule.message['hi']} (गणना संभव नहीं: शून्य से भाग)")
    return _problem(field, rule.id, f"{rule.message['en']}: {rule.text} "
                                    f"({_show(left)} {rule.check.value} {_show(right)} fails)",
                    f"{rule.message['hi']}: {rule.text} "
                    f"({_show(left)} {rule.check.value} {_show(right)} सही नहीं)",
                    left=_show(left), right=_show(right), operator=rule.check.value)


def _first_field(rule: Rule) -> str:
    """The field a failure is shown on: the first one the rule's left side reads."""
    read = sorted(ex.names(rule.check.args[0])) or sorted(ex.names(rule.check))
    return read[0] if read else rule.id


def check_complete(form: Form, values: dict) -> tuple[dict, list[Problem]]:
    """On submission: required fields, computed values, row rules and form rules. Answers
    the values with computed ones filled in, and every problem found."""
    problems: list[Problem] = []
    for col in form.fields.values():
        if col.required and col.compute is None and values.get(col.id) is None:
            problems.append(_problem(col.id, "required", f"{col.label['en']} is required",
                                     f"{col.label['hi']} आवश्यक है"))
    for table in form.tables.values():
        rows = _table_rows(values, table)
        filled = [r for r in rows if r]
        if len(filled) < table.min_rows:
            problems.append(_problem(table.id, "min_rows",
                                     f"{table.label['en']}: at least {table.min_rows} rows",
                                     f"{table.label['hi']}: कम से कम {table.min_rows} पंक्तियाँ"))
        keys = table.row_keys or tuple(range(len(rows)))
        for key, row in zip(keys, rows, strict=False):
            path = f"{table.id}.{key}" if table.fixed else f"{table.id}[{key}]"
            if not table.fixed or row:
                for col in table.columns.values():
                    if col.required and col.compute is None and row.get(col.id) is None:
                        problems.append(_problem(f"{path}.{col.id}", "required",
                                                 f"{table.label['en']}, {col.label['en']} "
                                                 "is required",
                                                 f"{table.label['hi']}, {col.label['hi']} "
                                                 "आवश्यक है"))
    values = compute(form, values, problems)
    for table in form.tables.values():
        rows = _table_rows(values, table)
        keys = table.row_keys or tuple(range(len(rows)))
        for key, row in zip(keys, rows, strict=False):
            path = f"{table.id}.{key}" if table.fixed else f"{table.id}[{key}]"
            for rule in table.row_rules:
                found = _check(rule, _row_values(row), f"{path}.{_first_field(rule)}")
                if found:
                    problems.append(found)
    scope = _values_of(form, values)
    for rule in form.rules:
        found = _check(rule, scope, _first_field(rule))
        if found:
            problems.append(found)
    return values, problems


def check_continuity(form: Form, values: dict, previous: dict | None) -> list[Problem]:
    """This return's opening figures against the previous return's closing ones."""
    if previous is None:
        return []
    problems = []
    here, there = _values_of(form, values), _values_of(form, previous)
    for field, before in form.continuity:
        now_value, then_value = here.scalar(field), there.scalar(before)
        if now_value != then_value:
            problems.append(_problem(
                field, "continuity",
                f"{field} must equal the previous return's {before}: "
                f"{_show(now_value)} ≠ {_show(then_value)}",
                f"{field} पिछले विवरण के {before} के बराबर होना चाहिए: "
                f"{_show(now_value)} ≠ {_show(then_value)}",
                left=_show(now_value), right=_show(then_value), operator="=="))
    return problems
