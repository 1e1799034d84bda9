"""Entrypoints of the elections service."""

from services.common.database import Database
from services.common.service import PlatformService
from services.elections import models


class ElectionsService(PlatformService):
    name = "elections"
    db = Database(models.platform)
