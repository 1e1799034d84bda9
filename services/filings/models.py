"""Tables of the filings service's own database: the platform tables; its domain
tables join them on the same metadata."""

from sqlalchemy.orm import DeclarativeBase

from services.common.schema import make_metadata, platform_tables

metadata = make_metadata()
platform = platform_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata
