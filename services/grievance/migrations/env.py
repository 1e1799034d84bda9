from services.common.migrate import run_env
from services.grievance.models import metadata

run_env(metadata)
