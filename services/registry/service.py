"""Entrypoints of the registry service."""

from services.common.database import Database
from services.common.service import PlatformService
from services.registry import models


class RegistryService(PlatformService):
    name = "registry"
    db = Database(models.platform)
