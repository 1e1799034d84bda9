from services.common.migrate import run_env
from services.elections.models import metadata

run_env(metadata)
