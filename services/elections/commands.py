"""Elections write through the chassis's ``Commands`` on the elections clock (real, or the
rehearsal clock where ``ELECTIONS_CLOCK=adjustable``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.common.commands import Commands
from services.elections import clock


class ElectionCommands(Commands):
    def _now(self, session: Any) -> datetime:
        return clock.now(session)
