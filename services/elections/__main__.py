"""`python -m services.elections migrate|run`."""

from services.common import green

green.patch()  # before anything else touches sockets or the database driver

from services.common.cli import entry  # noqa: E402
from services.elections.service import ElectionsService  # noqa: E402

entry(ElectionsService)
