from services.common.migrate import run_env
from tests.support.probe import metadata

run_env(metadata)
