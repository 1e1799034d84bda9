"""India Standard Time, the platform's civil time: dates on certificates, the day a
registration or a change takes effect, times in notices. A fixed offset (India keeps no
daylight saving), so no time zone database is needed on the machine."""

from datetime import timedelta, timezone

INDIA = timezone(timedelta(hours=5, minutes=30), "IST")
