"""The rule language of form definitions: small, parsed here, never ``eval``-ed.

Grammar (docs/filings.md carries the same)::

    rule       := sum (compare sum)?
    compare    := "=" | "==" | "!=" | "<=" | ">=" | "<" | ">"
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | atom
    atom       := NUMBER "%"? | NAME | FUNC "(" arguments ")" | "(" sum ")"
    NAME       := field | table "." row "." column      (a fixed row's cell)
    FUNC       := sum(table.column) | count(table) | min(a, b, ...) | max(a, b, ...)
                  | abs(a) | pct(part, whole)

Numbers are exact decimals; ``75%`` is 0.75; ``pct(a, b)`` is ``a / b * 100``. A blank
value counts as 0. Division by zero is an evaluation error the rule reports (guard such a
rule with ``when``). Comparisons give True/False; arithmetic gives a Decimal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any

COMPARISONS = ("==", "!=", "<=", ">=", "=", "<", ">")
FUNCTIONS = ("sum", "count", "min", "max", "abs", "pct")
_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)"
                    r"|(?P<op>==|!=|<=|>=|[-+*/%()<>=,]))")
MAX_LENGTH = 2000
MAX_DEPTH = 40


class ExpressionError(ValueError):
    """The text is not a rule of the language (raised when a definition is saved)."""


class EvaluationError(ValueError):
    """A rule could not be evaluated on these values (division by zero)."""


@dataclass(frozen=True)
class Node:
    kind: str                 # number, name, neg, binary, compare, call
    value: Any = None         # the number, the name, the operator, the function
    args: tuple[Node, ...] = ()


def _tokens(text: str) -> list[tuple[str, str]]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"a rule is at most {MAX_LENGTH} characters")
    found, at = [], 0
    text = text.replace("≤", "<=").replace("≥", ">=").replace("\u2212", "-").replace("≠", "!=")
    while at < len(text):
        if text[at:].strip() == "":
            break
        match = _TOKEN.match(text, at)
        if match is None:
            raise ExpressionError(f"unexpected character {text[at:].strip()[0]!r} at "
                                  f"position {at + 1}")
        kind = match.lastgroup
        found.append((kind, match.group(kind)))
        at = match.end()
    return found


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.at = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, op: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError(f"the rule ends where {op or 'a value'!r} was expected")
        if op is not None and token != ("op", op):
            raise ExpressionError(f"{op!r} expected, found {token[1]!r}")
        self.at += 1
        return token

    def rule(self) -> Node:
        left = self.sum()
        token = self.peek()
        if token and token[0] == "op" and token[1] in COMPARISONS:
            self.at += 1
            op = "==" if token[1] == "=" else token[1]
            left = Node("compare", op, (left, self.sum()))
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()[1]!r} after the rule's end")
        return left

    def sum(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("the rule nests too deeply")
        node = self.product()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            node = Node("binary", op, (node, self.product()))
        self.depth -= 1
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            node = Node("binary", op, (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.peek() == ("op", "-"):
            self.take()
            return Node("neg", None, (self.unary(),))
        return self.atom()

    def atom(self) -> Node:
        kind, value = self.take()
        if kind == "number":
            number = Decimal(value)
            if self.peek() == ("op", "%"):
                self.take()
                number = number / 100
            return Node("number", number)
        if kind == "name":
            if self.peek() == ("op", "("):
                if value not in FUNCTIONS:
                    raise ExpressionError(f"unknown function {value!r} (known: "
                                          f"{', '.join(FUNCTIONS)})")
                self.take("(")
                args = [self.sum()]
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.sum())
                self.take(")")
                return _checked_call(value, tuple(args))
            return Node("name", value)
        if value == "(":
            node = self.sum()
            self.take(")")
            return node
        raise ExpressionError(f"a value was expected, found {value!r}")


def _checked_call(name: str, args: tuple[Node, ...]) -> Node:
    if name in ("sum", "count"):
        if len(args) != 1 or args[0].kind != "name":
            raise ExpressionError(f"{name}() takes one name: {name}(table"
                                  f"{'.column' if name == 'sum' else ''})")
        parts = args[0].value.split(".")
        if (name == "sum" and len(parts) != 2) or (name == "count" and len(parts) != 1):
            raise ExpressionError(f"{name}() takes {'table.column' if name == 'sum' else 'a table'}"
                                  f", not {args[0].value!r}")
    elif name in ("abs",) and len(args) != 1:
        raise ExpressionError("abs() takes one value")
    elif name == "pct" and len(args) != 2:
        raise ExpressionError("pct() takes two values: pct(part, whole)")
    return Node("call", name, args)


def parse(text: str) -> Node:
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("a rule cannot be empty")
    return _Parser(text).rule()


def names(node: Node) -> set[str]:
    """Every name a rule reads (``sum(t.c)`` reads ``t.c``; ``count(t)`` reads ``t``)."""
    if node.kind == "name":
        return {node.value}
    found: set[str] = set()
    for arg in node.args:
        found |= names(arg)
    return found


def is_comparison(node: Node) -> bool:
    return node.kind == "compare"


# What evaluation asks of the values: a scalar by name, a column's cells, a table's rows.
Scalar = Callable[[str], Decimal]
Column = Callable[[str, str], list[Decimal]]
Rows = Callable[[str], int]


@dataclass(frozen=True)
class Values:
    scalar: Scalar
    column: Column
    rows: Rows


def evaluate(node: Node, values: Values) -> Decimal | bool:
    try:
        return _eval(node, values)
    except (DivisionByZero, InvalidOperation, ZeroDivisionError) as exc:
        raise EvaluationError("division by zero") from exc


def _eval(node: Node, values: Values) -> Any:
    kind = node.kind
    if kind == "number":
        return node.value
    if kind == "name":
        return values.scalar(node.value)
    if kind == "neg":
        return -_eval(node.args[0], values)
    if kind == "binary":
        left, right = (_eval(a, values) for a in node.args)
        if node.value == "+":
            return left + right
        if node.value == "-":
            return left - right
        if node.value == "*":
            return left * right
        if right == 0:
            raise EvaluationError("division by zero")
        return left / right
    if kind == "compare":
        left, right = (_eval(a, values) for a in node.args)
        return {"==": left == right, "!=": left != right, "<=": left <= right,
                ">=": left >= right, "<": left < right, ">": left > right}[node.value]
    name = node.value
    if name == "sum":
        table, column = node.args[0].value.split(".")
        return sum(values.column(table, column), Decimal(0))
    if name == "count":
        return Decimal(values.rows(node.args[0].value))
    args = [_eval(a, values) for a in node.args]
    if name == "min":
        return min(args)
    if name == "max":
        return max(args)
    if name == "abs":
        return abs(args[0])
    if args[1] == 0:
        raise EvaluationError("division by zero")
    return args[0] / args[1] * 100
