"""India Standard Time, the platform's civil time: dates on certificates, the day a
registration or a change takes effect, times in notices. A fixed offset (India keeps no
daylight saving), so no time zone database is needed on the machine."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

INDIA = timezone(timedelta(hours=5, minutes=30), "IST")


def day_text(value: date | str) -> str:
    """A date as India writes it: 01-04-2024 (an ISO string is read first)."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.strftime("%d-%m-%Y")


def moment_text(value: datetime) -> str:
    """A moment in India Standard Time: 30-11-2026 15:45 IST (naive means UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(INDIA).strftime("%d-%m-%Y %H:%M IST")


def rupees_text(paise: int) -> str:
    """An amount as India writes it, from integer paise: ₹12,34,567.50 (lakh and crore
    grouping: the last three digits, then pairs); whole rupees drop the ``.00``."""
    sign, paise = ("-", -paise) if paise < 0 else ("", paise)
    rupees, rest = divmod(paise, 100)
    return f"{sign}₹{grouped(rupees)}" + (f".{rest:02d}" if rest else "")


def grouped(number: int) -> str:
    """A whole number as India groups it: 8,50,000 and 1,23,45,678 (the last three
    digits, then pairs)."""
    sign, digits = ("-", str(-number)) if number < 0 else ("", str(number))
    head, tail = digits[:-3], digits[-3:]
    pairs = []
    while head:
        head, pairs = head[:-2], [head[-2:], *pairs]
    return sign + ",".join([*pairs, tail])


def paise_of(rupees: Decimal | int | str) -> int:
    """Rupees (a number with at most two decimals meant) as integer paise, half a paisa
    rounding away from zero: Decimal("12345678.5") -> 1234567850."""
    return int((Decimal(str(rupees)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
