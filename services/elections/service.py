"""The elections service: one class composed of a mixin per part of the workflow
(the order and programme, the voter list, nominations, the count and the forms,
expense accounts, remuneration and the RO's checklist),
sharing one database provider and one registry proxy."""

from nameko.rpc import RpcProxy

from services.common.database import Database
from services.common.service import PlatformService
from services.elections import models, tables  # noqa: F401  (tables on the metadata)
from services.elections.accounts.entrypoints import AccountsEntrypoints
from services.elections.commands import ElectionCommands
from services.elections.counting.entrypoints import CountingEntrypoints
from services.elections.nominations.entrypoints import NominationEntrypoints
from services.elections.orders.entrypoints import OrderEntrypoints
from services.elections.settings import elections_settings
from services.elections.voters.entrypoints import VoterEntrypoints


class ElectionsService(OrderEntrypoints, VoterEntrypoints, NominationEntrypoints,
                       CountingEntrypoints, AccountsEntrypoints, ElectionCommands, PlatformService):
    name = "elections"
    db = Database(models.platform)
    registry = RpcProxy("registry")

    @classmethod
    def preflight(cls) -> None:
        elections_settings()  # production refuses an adjustable clock and the dev key
