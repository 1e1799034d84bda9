"""Rupee amounts as India writes them: ₹12,34,567.50 (lakh and crore grouping)."""

from __future__ import annotations

from decimal import Decimal


def rupees_text(value: Decimal | int | str) -> str:
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    whole, _, paise = f"{abs(amount):f}".partition(".")
    head, tail = whole[:-3], whole[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    grouped = ",".join([*groups, tail]) if groups else tail
    return f"{sign}₹{grouped}" + (f".{paise}" if paise != "00" else "")
