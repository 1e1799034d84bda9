"""RPC entrypoints of the counting part of the workflow (a mixin of ElectionsService)."""

from __future__ import annotations


class CountingEntrypoints:
    pass
