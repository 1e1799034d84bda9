from services.common.migrate import run_env
from services.documents.models import metadata

run_env(metadata)
