"""The registry service: its entrypoints come from two mixins, one per part of the
domain, and share one database provider."""

from services.common.database import Database
from services.common.service import PlatformService
from services.registry import ekyc, models, society_tables  # noqa: F401  (tables on the metadata)
from services.registry.member_entrypoints import MemberEntrypoints
from services.registry.society_entrypoints import SocietyEntrypoints


class RegistryService(SocietyEntrypoints, MemberEntrypoints, PlatformService):
    name = "registry"
    db = Database(models.platform)

    @classmethod
    def preflight(cls) -> None:
        ekyc.check_production()
