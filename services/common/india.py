"""India Standard Time, the platform's civil time: dates on certificates, the day a
registration or a change takes effect, times in notices. A fixed offset (India keeps no
daylight saving), so no time zone database is needed on the machine."""

from datetime import UTC, date, datetime, timedelta, timezone

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
