"""RPC entrypoints of the member register (a mixin of RegistryService)."""


class MemberEntrypoints:
    pass
