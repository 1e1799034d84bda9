"""Entrypoints of the filings service."""

from services.common.database import Database
from services.common.service import PlatformService
from services.filings import models


class FilingsService(PlatformService):
    name = "filings"
    db = Database(models.platform)
