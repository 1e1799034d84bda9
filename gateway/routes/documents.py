"""Documents: streamed uploads and downloads, versions, templates, certificates and their
public verification.

Uploads: ``POST /v1/documents`` (a new document) and ``POST /v1/documents/{id}/versions``
take the file as the raw request body and its description as query parameters. The
gateway asks ``documents.begin_upload`` for a slot (the caller's right, the kind, the
declared size and checksum are checked before any byte moves), streams the body to the
slot on the documents data plane, and answers with the stored document. Downloads ask
``documents.open_download`` (access check, restricted downloads recorded) and stream the
bytes back. Nothing is buffered whole here."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Header, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import StreamingResponse

from gateway import documents_transfer as transfer
from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.rpc import RemoteServiceError, ServiceUnavailable
from services.common.contracts import documents as contracts
from services.common.errors import InvalidInput

router = APIRouter(prefix="/v1/documents", tags=["documents"])

DocumentId = Annotated[str, Path(pattern=contracts.DOCUMENT_ID_PATTERN,
                                 description="32 hex digits")]
Owner = Annotated[str | None, Query(pattern=contracts.OWNER_PATTERN, max_length=80,
                                    description="`society:<id>`, `election:<id>`, ...")]
SocietyId = Annotated[str | None, Query(pattern=contracts.ID_PATTERN)]
Kind = Annotated[contracts.DocumentKind | None, Query()]
Category = Annotated[str | None, Query(min_length=1, max_length=100)]
Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(max_length=200)]
Sha256Header = Annotated[str | None, Header(alias="X-Content-SHA256",
                                            pattern=contracts.SHA256_PATTERN,
                                            description="lower-case hex; checked on arrival")]
# The largest file the verify route hashes: certificates are a few kilobytes.
VERIFY_MAX_BYTES = 10 * 1024 * 1024
# A document's version number: far more than any document has, inside a 32-bit column
# (a larger one could not be sent on at all and was a 500).
MAX_VERSION = 2**31 - 1


def file_body(description: str, *, min_length: int = 0) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads the raw file itself (FastAPI
    cannot see it): any media type, the bytes as they are."""
    schema: dict[str, Any] = {"type": "string", "format": "binary"}
    if min_length:
        schema["minLength"] = min_length
    return {"requestBody": {"required": True, "description": description,
                            "content": {"application/octet-stream": {"schema": schema},
                                        "application/pdf": {"schema": schema}}}}


class DocumentPage(BaseModel):
    items: list[contracts.DocumentV1]
    next_cursor: str | None


class DownloadPage(BaseModel):
    items: list[contracts.DownloadRecordV1]
    next_cursor: str | None


class OrderIn(BaseModel):
    society_id: str = Field(pattern=contracts.ID_PATTERN)
    order_number: str = Field(min_length=1, max_length=100)
    order_date: date
    title: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=4000)
    access_level: contracts.AccessLevel = "society_and_office"


def _declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length")
    return int(value) if value and value.isdigit() else None


def content_disposition(file_name: str) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_"
                       for c in file_name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name)}"


async def _call(rpc: RpcDep, method: str, payload: dict[str, Any], context) -> Any:
    """A documents call; registry's silence about a society's offices is a 503."""
    try:
        return await rpc.call("documents", method, payload, context=context)
    except RemoteServiceError as exc:
        if exc.exc_type == "RegistryUnavailable":
            raise ServiceUnavailable("registry") from None
        raise


async def _stream_upload(request: Request, rpc: RpcDep, context, payload: dict[str, Any]):
    try:
        slot = await _call(rpc, "begin_upload", payload, context)
    except InvalidInput as exc:
        limit = exc.details.get("limit_bytes")
        if isinstance(limit, int):
            raise transfer.TransferFailed(413, exc.message, {"limit_bytes": limit}) from None
        raise
    slot = contracts.UploadSlotV1.model_validate(slot)
    return await transfer.upload(request, slot.upload_url, slot.max_bytes,
                                 payload.get("declared_size"))


# ---------------------------------------------------------------- public (declared first:
# static segments must win over /{document_id})


@router.get("/public", name="documents.public_list", response_model=DocumentPage,
            summary="Public documents, newest first (anyone)")
async def public_list(rpc: RpcDep, context: CallContextDep, owner: Owner = None,
                      society_id: SocietyId = None, kind: Kind = None,
                      category: Category = None, limit: Limit = 50,
                      cursor: Cursor = None) -> Any:
    return await _call(rpc, "list_documents", {
        "owner": owner, "society_id": society_id, "kind": kind, "category": category,
        "public_only": True, "limit": limit, "cursor": cursor}, context)


@router.get("/templates", name="documents.templates", response_model=DocumentPage,
            summary="Sample templates and formats the office publishes (anyone)")
async def templates(rpc: RpcDep, context: CallContextDep, category: Category = None,
                    limit: Limit = 50, cursor: Cursor = None) -> Any:
    return await _call(rpc, "list_documents", {
        "kind": "template", "category": category, "public_only": True, "limit": limit,
        "cursor": cursor}, context)


@router.get("/public/{document_id}", name="documents.public_get",
            response_model=contracts.DocumentV1, summary="A public document (anyone)")
async def public_get(document_id: DocumentId, rpc: RpcDep, context: CallContextDep) -> Any:
    return await _call(rpc, "get_document", {"document_id": document_id}, context)


@router.get("/public/{document_id}/content", name="documents.public_download",
            response_class=StreamingResponse, summary="A public document's file (anyone)")
async def public_download(document_id: DocumentId, request: Request, rpc: RpcDep,
                          context: CallContextDep,
                          version: Annotated[int | None, Query(ge=1, le=MAX_VERSION)] = None):
    ticket = await _call(rpc, "open_download", {"document_id": document_id,
                                                "version": version}, context)
    return await transfer.download(request, ticket, content_disposition(ticket["file_name"]))


@router.get("/verify/{code}", name="documents.verify_code",
            response_model=contracts.CertificateVerificationV1,
            summary="Is the certificate with this printed code genuine? (anyone)")
async def verify_code(code: Annotated[str, Path(min_length=1, max_length=32,
                                                pattern=contracts.CERTIFICATE_CODE_PATTERN)],
                      rpc: RpcDep,
                      context: CallContextDep) -> Any:
    return await _call(rpc, "verify_certificate", {"code": code}, context)


@router.post("/verify", name="documents.verify_file",
             response_model=contracts.CertificateVerificationV1,
             summary="Is this file a genuine, unaltered certificate? (anyone; the PDF is "
                     "the body, optionally with the printed code)",
             openapi_extra=file_body("the certificate file, at most 10 MiB", min_length=1))
async def verify_file(request: Request, rpc: RpcDep, context: CallContextDep,
                      code: Annotated[str | None, Query(
                          min_length=1, max_length=32,
                          pattern=contracts.CERTIFICATE_CODE_PATTERN)] = None,
                      ) -> Any:
    sha256, size = await transfer.sha256_of_body(request, VERIFY_MAX_BYTES)
    if size == 0:
        raise InvalidInput("Send the certificate file as the body.",
                           fields={"body": "empty"})
    return await _call(rpc, "verify_certificate", {"code": code, "sha256": sha256}, context)


# ---------------------------------------------------------------- signed in


@router.post("", name="documents.upload", status_code=201,
             response_model=contracts.DocumentV1,
             summary="File a document: the raw file is the body, its description the query",
             openapi_extra=file_body("the file, not empty", min_length=1))
async def upload(request: Request, rpc: RpcDep, context: IdempotentCallContextDep,
                 owner: Annotated[str, Query(pattern=contracts.OWNER_PATTERN, max_length=80)],
                 kind: Annotated[contracts.DocumentKind, Query()],
                 title: Annotated[str, Query(min_length=1, max_length=300)],
                 file_name: Annotated[str, Query(min_length=1, max_length=255)],
                 access_level: Annotated[contracts.AccessLevel, Query()],
                 category: Category = None, society_id: SocietyId = None,
                 sha256: Sha256Header = None) -> Any:
    return await _stream_upload(request, rpc, context, {
        "owner": owner, "kind": kind, "title": title, "file_name": file_name,
        "access_level": access_level, "category": category, "society_id": society_id,
        "declared_size": _declared_length(request), "declared_sha256": sha256})


@router.post("/{document_id}/versions", name="documents.add_version", status_code=201,
             response_model=contracts.DocumentV1,
             summary="A new version of a document (the old ones stay)",
             openapi_extra=file_body("the file, not empty", min_length=1))
async def add_version(document_id: DocumentId, request: Request, rpc: RpcDep,
                      context: IdempotentCallContextDep,
                      file_name: Annotated[str, Query(min_length=1, max_length=255)],
                      sha256: Sha256Header = None) -> Any:
    return await _stream_upload(request, rpc, context, {
        "document_id": document_id, "file_name": file_name,
        "declared_size": _declared_length(request), "declared_sha256": sha256})


@router.get("", name="documents.list", response_model=DocumentPage,
            summary="Documents of an owner or a society that you may read, newest first")
async def list_documents(rpc: RpcDep, context: CallContextDep, owner: Owner = None,
                         society_id: SocietyId = None, kind: Kind = None,
                         category: Category = None, limit: Limit = 50,
                         cursor: Cursor = None) -> Any:
    return await _call(rpc, "list_documents", {
        "owner": owner, "society_id": society_id, "kind": kind, "category": category,
        "limit": limit, "cursor": cursor}, context)


@router.post("/orders", name="documents.issue_order", status_code=201,
             response_model=contracts.CertificateV1,
             summary="Issue an order about a society as a verifiable PDF (the office)")
async def issue_order(order: OrderIn, rpc: RpcDep, context: IdempotentCallContextDep) -> Any:
    return await _call(rpc, "issue_order_certificate", order.model_dump(mode="json"), context)


@router.get("/{document_id}", name="documents.get", response_model=contracts.DocumentV1,
            summary="A document and its versions")
async def get_document(document_id: DocumentId, rpc: RpcDep, context: CallContextDep) -> Any:
    return await _call(rpc, "get_document", {"document_id": document_id}, context)


@router.get("/{document_id}/content", name="documents.download",
            response_class=StreamingResponse,
            summary="A document's file (the current version unless ?version=)")
async def download(document_id: DocumentId, request: Request, rpc: RpcDep,
                   context: CallContextDep,
                   version: Annotated[int | None, Query(ge=1, le=MAX_VERSION)] = None):
    ticket = await _call(rpc, "open_download", {"document_id": document_id,
                                                "version": version}, context)
    return await transfer.download(request, ticket, content_disposition(ticket["file_name"]))


@router.get("/{document_id}/downloads", name="documents.downloads",
            response_model=DownloadPage,
            summary="Who downloaded a restricted document, newest first (the office)")
async def downloads(document_id: DocumentId, rpc: RpcDep, context: CallContextDep,
                    limit: Limit = 50, cursor: Cursor = None) -> Any:
    return await _call(rpc, "list_downloads", {"document_id": document_id, "limit": limit,
                                               "cursor": cursor}, context)
