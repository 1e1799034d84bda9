"""Entrypoints of the grievance service."""

from services.common.database import Database
from services.common.service import PlatformService
from services.grievance import models


class GrievanceService(PlatformService):
    name = "grievance"
    db = Database(models.platform)
