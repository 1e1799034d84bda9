"""The registry service: its entrypoints come from one mixin per aggregate (societies,
offices, applications, liquidation, reports, members), and share one database provider.
Every aggregate's tables module is imported here, so the one metadata holds them all."""

from services.common.database import Database
from services.common.service import PlatformService
from services.registry import models
from services.registry.applications import ekyc
from services.registry.applications import tables as _applications  # noqa: F401
from services.registry.applications.entrypoints import ApplicationEntrypoints
from services.registry.audit_reads import AuditReadEntrypoints
from services.registry.liquidation import tables as _liquidation  # noqa: F401
from services.registry.liquidation.entrypoints import LiquidationEntrypoints
from services.registry.members import tables as _members  # noqa: F401
from services.registry.members.entrypoints import MemberEntrypoints
from services.registry.offices import tables as _offices  # noqa: F401
from services.registry.offices.entrypoints import OfficeEntrypoints
from services.registry.reports.entrypoints import ReportEntrypoints
from services.registry.societies import tables as _societies  # noqa: F401
from services.registry.societies.entrypoints import SocietyEntrypoints


class RegistryService(SocietyEntrypoints, OfficeEntrypoints, ApplicationEntrypoints,
                      LiquidationEntrypoints, ReportEntrypoints, MemberEntrypoints,
                      AuditReadEntrypoints,
                      PlatformService):
    name = "registry"
    db = Database(models.platform)

    @classmethod
    def preflight(cls) -> None:
        ekyc.check_production()
