"""Entrypoints of the notify service."""

from services.common.database import Database
from services.common.service import PlatformService
from services.notify import models


class NotifyService(PlatformService):
    name = "notify"
    db = Database(models.platform)
