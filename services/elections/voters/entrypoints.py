"""RPC entrypoints of the voters part of the workflow (a mixin of ElectionsService)."""

from __future__ import annotations


class VoterEntrypoints:
    pass
