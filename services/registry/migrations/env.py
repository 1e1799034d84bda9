from services.common.migrate import run_env
from services.registry import member_tables, society_tables  # noqa: F401  (their tables)
from services.registry.models import metadata

run_env(metadata)
