from services.common.migrate import run_env
from services.filings.models import metadata

run_env(metadata)
