"""`python -m services.grievance migrate|run`."""

from services.common import green

green.patch()  # before anything else touches sockets or the database driver

from services.common.cli import entry  # noqa: E402
from services.grievance.service import GrievanceService  # noqa: E402

entry(GrievanceService)
