"""Reading and writing the documents tables: documents and their version chains, the
download record, certificates, and the pages of lists. Plain functions on a SQLAlchemy
session; the entrypoint's unit of work commits."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, insert, or_, select, update

from services.common.contracts.documents import DocumentV1, DownloadRecordV1, VersionV1
from services.common.errors import InvalidInput
from services.documents.models import (
    certificate,
    document,
    document_download,
    document_version,
)

# Built once: the hot reads of every download and page.
_DOCUMENT_BY_ID = select(document).where(document.c.id == bindparam("document_id"))
_VERSION = select(document_version).where(
    (document_version.c.document_id == bindparam("document_id"))
    & (document_version.c.version == bindparam("version")))
_VERSIONS = (select(document_version)
             .where(document_version.c.document_id == bindparam("document_id"))
             .order_by(document_version.c.version))
_CERTIFICATE_BY_CODE = select(certificate).where(
    certificate.c.verification_code == bindparam("code"))
_CERTIFICATE_BY_SHA = (select(certificate).where(certificate.c.sha256 == bindparam("sha256"))
                       .order_by(certificate.c.issued_at).limit(1))


def document_row(session, document_id: str):
    return session.execute(_DOCUMENT_BY_ID, {"document_id": document_id}).first()


def version_row(session, document_id: str, version: int):
    return session.execute(_VERSION, {"document_id": document_id, "version": version}).first()


def version_rows(session, document_id: str):
    return session.execute(_VERSIONS, {"document_id": document_id}).all()


def version_wire(row) -> VersionV1:
    return VersionV1(version=row.version, file_name=row.file_name,
                     content_type=row.content_type, size=row.size, sha256=row.sha256,
                     uploaded_by=row.uploaded_by, uploaded_at=row.uploaded_at)


def document_wire(doc, current, versions=()) -> DocumentV1:
    return DocumentV1(document_id=doc.id, owner=doc.owner, society_id=doc.society_id,
                      kind=doc.kind, category=doc.category, title=doc.title,
                      access_level=doc.access_level, created_at=doc.created_at,
                      current=version_wire(current),
                      versions=[version_wire(v) for v in versions])


def insert_document(session, *, document_id: str, owner: str, society_id: str | None,
                    kind: str, category: str | None, title: str, access_level: str,
                    created_by: str, created_at: datetime) -> None:
    session.execute(insert(document).values(
        id=document_id, owner=owner, society_id=society_id, kind=kind, category=category,
        title=title, access_level=access_level, current_version=1, created_by=created_by,
        created_at=created_at))


def insert_version(session, **values: Any) -> None:
    session.execute(insert(document_version).values(**values))


def advance_current(session, document_id: str, expected: int, new: int) -> bool:
    """Point the document at version ``new`` if it is still at ``expected`` (two uploads
    racing for the same next version: one wins, the other is a conflict)."""
    result = session.execute(update(document)
                             .where((document.c.id == document_id)
                                    & (document.c.current_version == expected))
                             .values(current_version=new))
    return result.rowcount == 1


def record_download(session, *, document_id: str, version: int, ctx, at: datetime) -> None:
    session.execute(insert(document_download).values(
        document_id=document_id, version=version, actor_id=ctx.actor_id,
        actor_role=ctx.actor_role, actor_scope=ctx.actor_scope, request_id=ctx.request_id,
        downloaded_at=at))


# ---------------------------------------------------------------------- pages


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError:
        values = None
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidInput("Not a cursor this list gave.",
                           fields={"cursor": "use next_cursor of the previous page"})
    return values


def document_page(session, *, where, limit: int, cursor: str | None):
    """Documents matching ``where``, newest first, keyset-paged on (created_at, id)."""
    query = (select(document, document_version)
             .join(document_version,
                   and_(document_version.c.document_id == document.c.id,
                        document_version.c.version == document.c.current_version))
             .where(*where)
             .order_by(document.c.created_at.desc(), document.c.id.desc())
             .limit(limit + 1))
    if cursor:
        created_at, last_id = decode_cursor(cursor, 2)
        try:
            created = datetime.fromisoformat(created_at)
        except (TypeError, ValueError):
            raise InvalidInput("Not a cursor this list gave.",
                               fields={"cursor": "use next_cursor of the previous page"}
                               ) from None
        query = query.where(or_(document.c.created_at < created,
                                and_(document.c.created_at == created,
                                     document.c.id < last_id)))
    rows = session.execute(query).all()
    items, more = rows[:limit], len(rows) > limit
    docs = []
    for row in items:
        mapping = row._mapping
        doc = _Doc(**{c.name: mapping[document.c[c.name]] for c in document.c})
        ver = _Doc(**{c.name: mapping[document_version.c[c.name]]
                      for c in document_version.c})
        docs.append(document_wire(doc, ver))
    next_cursor = (encode_cursor(items[-1]._mapping[document.c.created_at].isoformat(),
                                 items[-1]._mapping[document.c.id]) if more else None)
    return docs, next_cursor


class _Doc:
    """Attribute access over one table's columns of a joined row."""

    def __init__(self, **values: Any):
        self.__dict__.update(values)


def download_page(session, *, document_id: str, limit: int, cursor: str | None):
    query = (select(document_download)
             .where(document_download.c.document_id == document_id)
             .order_by(document_download.c.id.desc()).limit(limit + 1))
    if cursor:
        (last_id,) = decode_cursor(cursor, 1)
        if not isinstance(last_id, int):
            raise InvalidInput("Not a cursor this list gave.",
                               fields={"cursor": "use next_cursor of the previous page"})
        query = query.where(document_download.c.id < last_id)
    rows = session.execute(query).all()
    items, more = rows[:limit], len(rows) > limit
    records = [DownloadRecordV1(version=r.version, actor_id=r.actor_id,
                                actor_role=r.actor_role, actor_scope=r.actor_scope,
                                request_id=r.request_id, downloaded_at=r.downloaded_at)
               for r in items]
    return records, (encode_cursor(items[-1].id) if more else None)


# ---------------------------------------------------------------------- certificates


def certificate_by_code(session, code: str):
    return session.execute(_CERTIFICATE_BY_CODE, {"code": code}).first()


def certificate_by_sha(session, sha256: str):
    return session.execute(_CERTIFICATE_BY_SHA, {"sha256": sha256}).first()


def certificate_of(session, document_id: str):
    """The certificate a document of the service's own is (None for an upload)."""
    return session.execute(select(certificate).where(
        certificate.c.document_id == document_id)).first()


_ISSUED = (select(certificate.c.document_id)
           .join(document, document.c.id == certificate.c.document_id)
           .where(certificate.c.society_id == bindparam("society_id"),
                  certificate.c.certificate_kind == bindparam("kind"),
                  document.c.owner == bindparam("owner"))
           .limit(1))


def issued_document(session, *, owner: str, society_id: str,
                    certificate_kind: str) -> str | None:
    """The document id of the certificate of this kind the service issued to the owner,
    if any (a voter list is printed once; an uploaded file of the same name is no
    certificate). Found through the society's certificates (indexed)."""
    return session.execute(_ISSUED, {"owner": owner, "society_id": society_id,
                                     "kind": certificate_kind}).scalar()


def insert_certificate(session, **values: Any) -> None:
    session.execute(insert(certificate).values(**values))
