"""pytest for the nameko side: eventlet patches the process before anything else
loads (nameko 2.14's plugin no longer does it), and psycopg2 is made green."""

import sys

from services.common import green

green.patch()

import pytest  # noqa: E402

if __name__ == "__main__":
    sys.exit(pytest.main(sys.argv[1:]))
