"""RPC entrypoints of societies, offices, applications, the directory, liquidation and
reports (a mixin of RegistryService)."""


class SocietyEntrypoints:
    pass
