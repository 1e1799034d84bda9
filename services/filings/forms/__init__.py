"""Form definitions as data: the expression language of their rules
(``expressions``), the shape a definition must have (``schema``), checking a filing's
values against one (``checking``), and the definitions shipped with the platform
(``definitions/*.json``, loaded by ``catalogue``)."""
