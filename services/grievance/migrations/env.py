from services.common.migrate import run_env
from services.grievance import tables as _tables  # noqa: F401  (the domain tables)
from services.grievance.models import metadata

run_env(metadata)
