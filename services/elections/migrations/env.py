from services.common.migrate import run_env
from services.elections import tables as _tables  # noqa: F401  (the domain tables)
from services.elections.models import metadata

run_env(metadata)
