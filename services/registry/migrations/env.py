from services.common.migrate import run_env
from services.registry.applications import tables as _applications  # noqa: F401  (their tables)
from services.registry.liquidation import tables as _liquidation  # noqa: F401
from services.registry.members import tables as _members  # noqa: F401
from services.registry.models import metadata
from services.registry.offices import tables as _offices  # noqa: F401
from services.registry.societies import tables as _societies  # noqa: F401

run_env(metadata)
