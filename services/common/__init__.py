"""Chassis and contracts shared by every service and the gateway.

Modules here import no service and no gateway. `errors`, `contracts`, `engine`, `schema`,
`audit`, `migrate` and `call_context` are pure (no nameko, no eventlet), so the asyncio
gateway imports them too.
"""

import warnings

# eventlet announces on import that it is in maintenance mode; nameko 2.14 needs it.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
