"""Chassis and contracts shared by every service and the gateway.

Modules here import no service and no gateway. `errors` and `contracts` are pure
(no nameko, no eventlet) so the asyncio gateway can import them.
"""
