"""Entrypoints of the documents service."""

from services.common.database import Database
from services.common.service import PlatformService
from services.documents import models


class DocumentsService(PlatformService):
    name = "documents"
    db = Database(models.platform)
