"""RPC entrypoints of the nominations part of the workflow (a mixin of ElectionsService)."""

from __future__ import annotations


class NominationEntrypoints:
    pass
