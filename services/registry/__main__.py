"""`python -m services.registry migrate|run`."""

from services.common import green

green.patch()  # before anything else touches sockets or the database driver

from services.common.cli import entry  # noqa: E402
from services.registry.service import RegistryService  # noqa: E402

entry(RegistryService)
