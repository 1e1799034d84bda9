"""Entrypoints of the documents service: RPCs that check rights and issue signed upload
slots and download tickets, the HTTP data plane that moves the bytes, certificates, and
the handler of registry's ``society_registered``.

Upload: ``begin_upload`` (RPC: validates owner, kind, title, name, declared size and
checksum, access level and the caller's right) -> ``PUT /slots/<token>`` on the data
plane (streams into the store while counting and hashing; then checks size, SHA-256,
sniffed type and the scan hook, and commits the record with its event) -> the record.
Anything that fails after the first byte removes the object; no record exists for a file
that did not fully arrive and match.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
import uuid
from datetime import UTC, datetime

import eventlet
from nameko.rpc import RpcProxy
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import ClientDisconnected
from werkzeug.wrappers import Response

from services.common.consumer import event_handler
from services.common.contracts import documents as contracts
from services.common.contracts.elections_counting import FormSubmittedV1
from services.common.contracts.elections_nominations import NominationsListPublishedV1
from services.common.contracts.elections_voters import MAX_PAGE, ListPublishedV1
from services.common.contracts.registry import SocietyRegisteredV1
from services.common.database import Database
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.rpc import rpc
from services.common.service import PlatformService
from services.common.validation import parse
from services.documents import (
    access,
    certificates,
    election_forms,
    kinds,
    models,
    names,
    nomination_lists,
    records,
    return_forms,
    tokens,
    voter_lists,
)
from services.documents.anchors import AnchorKeeping
from services.documents.data_plane import data_plane, error_response, json_response
from services.documents.dependencies import SocietyOffices, Storage
from services.documents.inspection import (
    InspectingReader,
    TooLarge,
    Truncated,
    detect_content_type,
)
from services.documents.metrics import documents_metrics
from services.documents.scan import Infected, ScannerFailed, make_scanner
from services.documents.settings import documents_settings
from services.documents.store import ObjectMissing

log = logging.getLogger(__name__)


class UploadRefused(Exception):
    """An upload that must not be stored: its HTTP status, code and metrics outcome."""

    def __init__(self, status: int, code: str, outcome: str, message: str,
                 details: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.outcome = status, code, outcome
        self.message, self.details = message, details or {}


def _owner_society(owner: str) -> str | None:
    kind, _, ident = owner.partition(":")
    return ident if kind == "society" else None


class DocumentsService(AnchorKeeping, PlatformService):
    name = "documents"
    db = Database(models.platform)
    store = Storage()
    registry = RpcProxy("registry")
    elections = RpcProxy("elections")
    filings = RpcProxy("filings")

    @classmethod
    def preflight(cls) -> None:
        documents_settings()  # its validators refuse production defaults

    # ------------------------------------------------------------------ helpers

    @property
    def settings(self):
        return documents_settings()

    def _offices(self) -> SocietyOffices:
        return SocietyOffices(self.registry, self.settings.registry_timeout)

    def _readable_document(self, session, ctx, document_id: str, offices):
        doc = records.document_row(session, document_id)
        if doc is None:
            raise NotFound("No such document.", {"document_id": document_id})
        access.ensure_can_read(ctx, document_id, access_level=doc.access_level,
                               owner=doc.owner, society_id=doc.society_id,
                               offices_of=offices)
        return doc

    def _remove(self, key: str) -> None:
        metrics = documents_metrics()
        try:
            self.store.delete(key)
            metrics.cleanups.inc()
        except Exception:
            metrics.store_errors.labels("delete").inc()
            log.exception("a partial object could not be removed", extra={"key": key})

    # ------------------------------------------------------------------ uploads

    @rpc
    def begin_upload(self, payload):
        """Check everything that can be checked before the bytes, and issue the slot."""
        command = parse(contracts.BeginUploadV1, payload)
        ctx = self.caller
        offices = self._offices()
        file_name = names.sanitise(command.file_name)
        if file_name is None:
            raise InvalidInput("The file name is not usable.",
                               fields={"file_name": "give a name with at least one letter "
                                                    "or digit"})
        if command.document_id is not None:
            with self.db.read() as session:
                doc = self._readable_document(session, ctx, command.document_id, offices)
            owner, society_id, kind = doc.owner, doc.society_id, doc.kind
            category, title, level = doc.category, doc.title, doc.access_level
            expected_version = doc.current_version
        else:
            owner, kind, level = command.owner, command.kind, command.access_level
            category, title = command.category, command.title
            society_id = command.society_id
            expected_version = 0
            fields = {}
            owned_by = _owner_society(owner)
            if owned_by is not None:
                if society_id not in (None, owned_by):
                    fields["society_id"] = "must be the owner society's id"
                society_id = owned_by
            rule = kinds.rule_for(kind)
            if rule.always_public and level != "public":
                fields["access_level"] = "templates and formats are public"
            if kind == "template" and not category:
                fields["category"] = "templates and formats need a category"
            if fields:
                raise InvalidInput("The request is not valid; see details.fields.",
                                   fields=fields)
        rule = kinds.rule_for(kind)
        if not rule.uploadable:
            raise Forbidden(f"Documents of kind {kind} are issued by the service, not "
                            "uploaded.", {"kind": kind})
        access.ensure_can_upload(ctx, owner=owner, society_id=society_id, kind=kind,
                                 offices_of=offices)
        if command.declared_size is not None:
            if command.declared_size == 0:
                raise InvalidInput("The file is empty.", fields={"size": "must not be 0"})
            if command.declared_size > rule.max_bytes:
                raise InvalidInput(
                    f"A {kind} document may have at most {rule.max_bytes} bytes.",
                    {"limit_bytes": rule.max_bytes},
                    fields={"size": f"at most {rule.max_bytes} bytes for {kind}"})
        slot_id = uuid.uuid4().hex
        document_id = command.document_id or uuid.uuid4().hex
        settings = self.settings
        token = tokens.sign(settings.key_bytes(), "upload", {
            "slot": slot_id, "document_id": document_id, "new": command.document_id is None,
            "expected_version": expected_version, "owner": owner, "society_id": society_id,
            "kind": kind, "category": category, "title": title, "access_level": level,
            "file_name": file_name, "declared_size": command.declared_size,
            "declared_sha256": command.declared_sha256, "max_bytes": rule.max_bytes,
            "request_id": ctx.request_id, "actor_id": ctx.actor_id,
            "actor_role": ctx.actor_role, "actor_scope": ctx.actor_scope,
            "idempotency_key": ctx.idempotency_key,
        }, settings.upload_slot_seconds)
        return contracts.UploadSlotV1(
            slot_id=slot_id, upload_url=f"{settings.resolved_data_url}/slots/{token}",
            expires_at=datetime.fromtimestamp(time.time() + settings.upload_slot_seconds,
                                              UTC),
            max_bytes=rule.max_bytes).wire()

    @data_plane("PUT", "/slots/<token>", use="upload")
    def receive_upload(self, request, claims):
        """Stream the body into the store, check it, commit the record (or remove it)."""
        metrics = documents_metrics()
        started = time.perf_counter()
        kind = claims["kind"]
        key = f"{claims['document_id']}/{uuid.uuid4().hex}"
        stored = False
        try:
            reader = self._check_declared(request, claims)
            try:
                self.store.put(key, reader)
                stored = True
                reader.drain()
            except TooLarge as exc:
                raise UploadRefused(413, "payload_too_large", "too_large",
                                    f"A {kind} document may have at most {exc.limit} "
                                    "bytes.", {"limit_bytes": exc.limit}) from None
            except (Truncated, ClientDisconnected):
                raise UploadRefused(400, "truncated", "truncated",
                                    "The upload ended before the whole file arrived.",
                                    {"received_bytes": reader.size}) from None
            content_type = self._check_arrived(reader, claims)
            answer = self._commit_upload(claims, key, reader, content_type)
        except UploadRefused as refused:
            self._remove(key)
            metrics.uploads.labels(kind, refused.outcome).inc()
            return error_response(refused.status, refused.code, refused.message,
                                  refused.details)
        except BaseException as exc:
            self._remove(key)
            outcome = "conflict" if isinstance(exc, Conflict) else "failed"
            metrics.uploads.labels(kind, outcome).inc()
            if not stored and not isinstance(exc, Conflict):
                metrics.store_errors.labels("put").inc()
            raise
        metrics.uploads.labels(kind, "stored").inc()
        metrics.upload_bytes.labels(kind).inc(reader.size)
        metrics.upload_seconds.observe(time.perf_counter() - started)
        return json_response(201, answer)

    def _check_declared(self, request, claims) -> InspectingReader:
        length = request.content_length
        declared = claims.get("declared_size")
        limit = claims["max_bytes"]
        if length is not None and length > limit:
            raise UploadRefused(413, "payload_too_large", "too_large",
                                f"A {claims['kind']} document may have at most {limit} "
                                "bytes.", {"limit_bytes": limit})
        if declared is not None and length is not None and declared != length:
            raise UploadRefused(422, "invalid_input", "size_mismatch",
                                "The body's length is not the size declared.",
                                {"fields": {"size": f"declared {declared}, sent {length}"}})
        # A chunked body: werkzeug only reads it when the server marks the input as
        # terminated, which eventlet's does not; its input decodes the chunks itself.
        chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        source = request.environ["wsgi.input"] if chunked else request.stream
        return InspectingReader(source, limit,
                                expected_length=length if length is not None else declared)

    def _check_arrived(self, reader: InspectingReader, claims) -> str:
        """Size, checksum, type and the scan hook; the content type the bytes show."""
        if reader.size == 0:
            raise UploadRefused(422, "invalid_input", "empty", "The file is empty.",
                                {"fields": {"content": "no bytes arrived"}})
        declared = claims.get("declared_size")
        if declared is not None and declared != reader.size:
            raise UploadRefused(422, "invalid_input", "size_mismatch",
                                "The file is not the size declared.",
                                {"fields": {"size": f"declared {declared}, "
                                                    f"received {reader.size}"}})
        sha = claims.get("declared_sha256")
        if sha is not None and sha != reader.sha256:
            raise UploadRefused(422, "invalid_input", "checksum_mismatch",
                                "The file's SHA-256 is not the one declared.",
                                {"fields": {"sha256": f"received {reader.sha256}"}})
        detected = detect_content_type(reader.head, reader.is_text, claims["file_name"])
        allowed = kinds.rule_for(claims["kind"]).content_types
        if detected not in allowed:
            raise UploadRefused(415, "unsupported_media_type", "wrong_type",
                                f"A {claims['kind']} document must be one of: "
                                + ", ".join(allowed) + ".",
                                {"detected": detected or "unknown", "allowed": list(allowed)})
        return detected

    def _scan(self, key: str) -> None:
        scanner = make_scanner(self.settings.scan_command)
        if scanner is None:
            return
        try:
            scanner.scan(self.store.open(key))
        except Infected as exc:
            raise UploadRefused(422, "invalid_input", "infected",
                                "The file was refused by the virus scanner.",
                                {"fields": {"content": str(exc) or "infected"}}) from None
        except (ScannerFailed, OSError, ObjectMissing) as exc:
            log.error("virus scan failed: %r", exc)
            raise UploadRefused(503, "unavailable", "failed",
                                "The virus scanner is not available; try again later."
                                ) from None

    def _commit_upload(self, claims, key: str, reader: InspectingReader,
                       content_type: str) -> dict:
        self._scan(key)
        now = datetime.now(UTC)
        document_id = claims["document_id"]
        try:
            with self.db.unit_of_work() as uow:
                ctx = uow.ctx
                prior = uow.replay({"document_id": None if claims["new"] else document_id,
                                    "owner": claims["owner"], "kind": claims["kind"],
                                    "title": claims["title"],
                                    "file_name": claims["file_name"],
                                    "sha256": reader.sha256})
                if prior is not None:
                    self._remove(key)  # the same file arrived again: keep the first
                    return prior.response
                version = claims["expected_version"] + 1
                if claims["new"]:
                    records.insert_document(
                        uow.session, document_id=document_id, owner=claims["owner"],
                        society_id=claims["society_id"], kind=claims["kind"],
                        category=claims["category"], title=claims["title"],
                        access_level=claims["access_level"], created_by=ctx.actor_id,
                        created_at=now)
                elif not records.advance_current(uow.session, document_id,
                                                 claims["expected_version"], version):
                    raise Conflict("Another version of this document was added meanwhile; "
                                   "start the upload again.", {"document_id": document_id})
                records.insert_version(
                    uow.session, document_id=document_id, version=version,
                    file_name=claims["file_name"], content_type=content_type,
                    size=reader.size, sha256=reader.sha256, object_key=key,
                    slot_id=claims["slot"], uploaded_by=ctx.actor_id,
                    uploaded_role=ctx.actor_role, uploaded_at=now)
                fields = dict(
                    document_id=document_id, document_version=version, owner=claims["owner"],
                    society_id=claims["society_id"], kind=claims["kind"],
                    category=claims["category"], title=claims["title"],
                    content_type=content_type, size=reader.size, sha256=reader.sha256,
                    access_level=claims["access_level"], uploaded_by=ctx.actor_id,
                    uploaded_at=now)
                if claims["new"]:
                    uow.audit("document_stored", "document", document_id,
                              {k: v for k, v in fields.items() if k != "uploaded_at"})
                    uow.emit(contracts.DocumentStoredV1(**fields))
                else:
                    uow.audit("document_version_added", "document", document_id,
                              {"version": version, "sha256": reader.sha256,
                               "size": reader.size, "file_name": claims["file_name"]})
                    uow.emit(contracts.DocumentVersionAddedV1(
                        **fields, previous_version=claims["expected_version"]))
                answer = self._document_answer(uow.session, document_id)
                return uow.respond(answer)
        except IntegrityError:
            raise Conflict("This upload link was already used, or another version was "
                           "added meanwhile; start the upload again.",
                           {"document_id": document_id}) from None

    def _document_answer(self, session, document_id: str, with_versions: bool = False):
        doc = records.document_row(session, document_id)
        versions = records.version_rows(session, document_id)
        current = next(v for v in versions if v.version == doc.current_version)
        return records.document_wire(doc, current,
                                     versions if with_versions else ()).wire()

    # ------------------------------------------------------------------ reads

    @rpc
    def get_document(self, payload):
        command = parse(contracts.GetDocumentV1, payload)
        with self.db.read() as session:
            self._readable_document(session, self.caller, command.document_id,
                                    self._offices())
            return self._document_answer(session, command.document_id, with_versions=True)

    @rpc
    def open_download(self, payload):
        """Check the right to read, record a restricted download, issue a ticket."""
        command = parse(contracts.OpenDownloadV1, payload)
        ctx = self.caller
        with self.db.read() as session:
            doc = self._readable_document(session, ctx, command.document_id,
                                          self._offices())
            version = command.version or doc.current_version
            row = records.version_row(session, doc.id, version)
        if row is None:
            raise NotFound("No such version of this document.",
                           {"document_id": doc.id, "version": version})
        if doc.access_level != "public":
            with self.db.unit_of_work() as uow:
                records.record_download(uow.session, document_id=doc.id, version=version,
                                        ctx=uow.ctx, at=datetime.now(UTC))
        documents_metrics().downloads.labels(doc.access_level).inc()
        settings = self.settings
        presign = getattr(self.store, "presigned_get", None)
        if presign is not None:
            url = presign(row.object_key, settings.download_ticket_seconds)
        else:
            url = f"{settings.resolved_data_url}/objects/" + tokens.sign(
                settings.key_bytes(), "download", {
                    "key": row.object_key, "size": row.size,
                    "content_type": row.content_type, "file_name": row.file_name,
                    "sha256": row.sha256, "request_id": ctx.request_id,
                }, settings.download_ticket_seconds)
        return contracts.DownloadTicketV1(
            download_url=url, document_id=doc.id,
            version=version, file_name=row.file_name, content_type=row.content_type,
            size=row.size, sha256=row.sha256, access_level=doc.access_level).wire()

    @data_plane("GET", "/objects/<token>", use="download")
    def send_object(self, request, claims):
        try:
            chunks = self.store.open(claims["key"])
        except ObjectMissing:
            log.error("a recorded object is missing from the store",
                      extra={"key": claims["key"]})
            return error_response(404, "not_found", "The file is missing from the store.")
        counter = documents_metrics().download_bytes

        def body():
            for chunk in chunks:
                counter.inc(len(chunk))
                yield chunk
        return Response(body(), status=200, direct_passthrough=True, headers={
            "Content-Type": claims["content_type"], "Content-Length": str(claims["size"]),
            "X-Content-SHA256": claims["sha256"], "ETag": f'"{claims["sha256"]}"'})

    @rpc
    def list_documents(self, payload):
        command = parse(contracts.ListDocumentsV1, payload)
        ctx = self.caller
        table = models.document
        where = []
        if command.owner:
            where.append(table.c.owner == command.owner)
        if command.society_id:
            where.append(table.c.society_id == command.society_id)
        if command.kind:
            where.append(table.c.kind == command.kind)
        if command.category:
            where.append(table.c.category == command.category)
        if command.public_only:
            levels = ["public"]
        else:
            if not (command.owner or command.society_id):
                raise InvalidInput("Name the owner or the society whose documents to list.",
                                   fields={"owner": "give owner or society_id"})
            owner = command.owner or f"society:{command.society_id}"
            society_id = command.society_id or _owner_society(owner)
            offices = self._offices()
            levels = [level for level in contracts.ACCESS_LEVELS
                      if access.can_read(ctx, access_level=level, owner=owner,
                                         society_id=society_id, offices_of=offices)]
        where.append(table.c.access_level.in_(levels))
        with self.db.read() as session:
            items, next_cursor = records.document_page(session, where=where,
                                                       limit=command.limit,
                                                       cursor=command.cursor)
        return contracts.DocumentPageV1(items=items, next_cursor=next_cursor).wire()

    @rpc
    def list_downloads(self, payload):
        """Who downloaded a restricted document, newest first: for its office's staff."""
        command = parse(contracts.ListDownloadsV1, payload)
        ctx = self.caller
        with self.db.read() as session:
            doc = records.document_row(session, command.document_id)
            if doc is None or not access.is_office_staff_for(
                    ctx, doc.owner, doc.society_id, self._offices()):
                raise NotFound("No such document.", {"document_id": command.document_id})
            items, next_cursor = records.download_page(
                session, document_id=doc.id, limit=command.limit, cursor=command.cursor)
        return contracts.DownloadPageV1(items=items, next_cursor=next_cursor).wire()

    # ------------------------------------------------------------------ certificates

    def _issue(self, uow, *, certificate_kind: str, society_id: str, subject: dict,
               title: str, file_name: str, access_level: str, make_pdf,
               owner: str | None = None, kind: str = "certificate",
               code: str | None = None, issued_at: datetime | None = None,
               announce: bool = True) -> tuple[str, dict]:
        """Make, store and record one certificate in ``uow``; returns the object key (for
        the caller to remove should the commit fail) and the certificate's answer.
        ``code`` and ``issued_at`` when the PDF was made beforehand with them (a voter
        list); ``announce=False`` records no ``certificate_issued`` (no notice)."""
        code = code or certificates.new_code()
        issued_at = issued_at or datetime.now(UTC).replace(microsecond=0)
        verify_url = self._verify_url(code)
        pdf = make_pdf(code, verify_url, issued_at)
        sha = hashlib.sha256(pdf).hexdigest()
        document_id = uuid.uuid4().hex
        key = f"{document_id}/{uuid.uuid4().hex}"
        try:
            self.store.put(key, io.BytesIO(pdf), length=len(pdf))
        except Exception:
            documents_metrics().store_errors.labels("put").inc()
            self._remove(key)
            raise
        owner = owner or f"society:{society_id}"
        actor = uow.ctx.actor_id
        records.insert_document(uow.session, document_id=document_id, owner=owner,
                                society_id=society_id, kind=kind,
                                category=certificate_kind, title=title,
                                access_level=access_level, created_by=actor,
                                created_at=issued_at)
        records.insert_version(uow.session, document_id=document_id, version=1,
                               file_name=file_name, content_type=kinds.PDF, size=len(pdf),
                               sha256=sha, object_key=key, slot_id=uuid.uuid4().hex,
                               uploaded_by=actor, uploaded_role=uow.ctx.actor_role,
                               uploaded_at=issued_at)
        records.insert_certificate(uow.session, verification_code=code,
                                   document_id=document_id, version=1, sha256=sha,
                                   certificate_kind=certificate_kind, society_id=society_id,
                                   subject=subject, issued_at=issued_at)
        uow.audit("certificate_issued", "document", document_id,
                  {"certificate_kind": certificate_kind, "society_id": society_id,
                   "sha256": sha, "verification_code": code})
        uow.emit(contracts.DocumentStoredV1(
            document_id=document_id, document_version=1, owner=owner, society_id=society_id,
            kind=kind, category=certificate_kind, title=title,
            content_type=kinds.PDF, size=len(pdf), sha256=sha, access_level=access_level,
            uploaded_by=actor, uploaded_at=issued_at))
        if announce:
            uow.emit(contracts.CertificateIssuedV1(
                document_id=document_id, document_version=1, society_id=society_id,
                certificate_kind=certificate_kind, verification_code=code,
                subject=subject, issued_at=issued_at))
        documents_metrics().certificates.labels(certificate_kind).inc()
        return key, contracts.CertificateV1(
            document_id=document_id, version=1, verification_code=code,
            certificate_kind=certificate_kind, society_id=society_id, sha256=sha,
            issued_at=issued_at).wire()

    @event_handler("registry", "society_registered")
    def on_society_registered(self, payload):
        """The registration certificate, once per registration."""
        event = parse(SocietyRegisteredV1, payload)
        subject = certificates.registration_subject(event)
        key = None
        try:
            with self.db.unit_of_work() as uow:
                if not uow.claim_event():
                    return
                number = (event.registration_number or event.society_id)
                key, _ = self._issue(
                    uow, certificate_kind="registration", society_id=event.society_id,
                    subject=subject, title=f"Certificate of registration: {number}",
                    file_name=names.sanitise(f"registration-certificate-{number}.pdf")
                    or "registration-certificate.pdf",
                    access_level="public",
                    make_pdf=lambda code, url, at: certificates.registration_pdf(
                        subject, code, url, at))
        except BaseException:
            if key is not None:
                self._remove(key)
            raise

    @event_handler("elections", "election_form_submitted")
    def on_election_form_submitted(self, payload):
        """Form 19M or 19N as submitted to the CEA, a verifiable PDF of the election."""
        event = parse(FormSubmittedV1, payload)
        subject = election_forms.subject(event)
        key = None
        try:
            with self.db.unit_of_work() as uow:
                if not uow.claim_event():
                    return
                name = f"form-{event.form}-{event.number}-v{event.form_version}.pdf"
                key, _ = self._issue(
                    uow, certificate_kind=f"form_{event.form.lower()}",
                    society_id=event.society_id, subject=subject,
                    owner=f"election:{event.election_id}",
                    title=f"Form {event.form}, election {event.number} "
                          f"(version {event.form_version})",
                    file_name=names.sanitise(name) or "election-form.pdf",
                    access_level="society_and_office",
                    make_pdf=lambda code, url, at: election_forms.form_pdf(
                        subject, event.body, code, url, at))
        except BaseException:
            if key is not None:
                self._remove(key)
            raise

    @event_handler("elections", "election_nominations_list_published")
    def on_nominations_list_published(self, payload):
        """A nominations list as published (received, valid, contesting), a public,
        verifiable PDF of the election, printed once per list."""
        event = parse(NominationsListPublishedV1, payload)
        owner = f"election:{event.election_id}"
        certificate_kind = nomination_lists.CERTIFICATE_KINDS[event.list]
        key = None
        try:
            with self.db.unit_of_work() as uow:
                if not uow.claim_event() or records.issued_document(
                        uow.session, owner=owner, society_id=event.society_id,
                        certificate_kind=certificate_kind):
                    return
                name = f"{certificate_kind}-{event.number}.pdf".replace("/", "-")
                key, _ = self._issue(
                    uow, certificate_kind=certificate_kind, society_id=event.society_id,
                    subject=nomination_lists.subject(event), owner=owner,
                    title=f"{event.title}, election {event.number}",
                    file_name=names.sanitise(name) or "nominations-list.pdf",
                    access_level="public", announce=False,
                    make_pdf=lambda code, url, at: nomination_lists.list_pdf(
                        event, code, url, at))
        except BaseException:
            if key is not None:
                self._remove(key)
            raise

    def _verify_url(self, code: str) -> str:
        return self.settings.verify_base_url + certificates.printed(code)

    @event_handler("elections", "election_voter_list_published")
    def on_voter_list_published(self, payload):
        """The provisional or final list of voters, a verifiable PDF of the election:
        read from elections page by page (the event carries no rows), printed in a child
        process (the hub serves other calls meanwhile), stored once per list."""
        event = parse(ListPublishedV1, payload)
        owner = f"election:{event.election_id}"
        certificate_kind = voter_lists.CERTIFICATE_KINDS[event.kind]
        with self.db.read() as session:
            if records.issued_document(
                    session, owner=owner, society_id=event.society_id,
                    certificate_kind=certificate_kind) is not None:
                return        # printed already: the same event again, nothing to do
        voters = self._published_voters(event)
        subject = {**voter_lists.subject(event), "entries": len(voters)}
        code = certificates.new_code()
        issued_at = datetime.now(UTC).replace(microsecond=0)
        started = time.perf_counter()
        pdf = voter_lists.render_in_subprocess(
            subject, voters, code, self._verify_url(code), issued_at,
            timeout=self.settings.list_render_seconds)
        log.info("voter list printed", extra={
            "election_id": event.election_id, "list": event.kind, "rows": len(voters),
            "pages": voter_lists.page_count(len(voters)), "bytes": len(pdf),
            "seconds": round(time.perf_counter() - started, 2)})
        key = None
        try:
            with self.db.unit_of_work() as uow:
                if not uow.claim_event():
                    return
                if records.issued_document(
                        uow.session, owner=owner, society_id=event.society_id,
                        certificate_kind=certificate_kind):
                    return
                name = f"voters-{event.number}-{event.kind}.pdf".replace("/", "-")
                title_en, _ = voter_lists.TITLES[event.kind]
                key, _ = self._issue(
                    uow, certificate_kind=certificate_kind, kind="voter_list",
                    society_id=event.society_id, subject=subject, owner=owner,
                    title=f"{title_en}, election {event.number}",
                    file_name=names.sanitise(name) or "voter-list.pdf",
                    access_level="society_and_office", code=code, issued_at=issued_at,
                    announce=False, make_pdf=lambda *_: pdf)
        except BaseException:
            if key is not None:
                self._remove(key)
            raise

    def _published_voters(self, event: ListPublishedV1) -> list[dict]:
        """Every entry of the published list, in serial order, a page per call."""
        voters: list[dict] = []
        after = None
        timeout = self.settings.elections_timeout
        while True:
            with eventlet.Timeout(timeout):
                page = self.elections.voter_list_page.call_async(payload={
                    "election_id": event.election_id, "kind": event.kind, "after": after,
                    "limit": MAX_PAGE}).result()
            voters += page["items"]
            after = page["next"]
            if after is None:
                return voters

    @rpc
    def issue_order_certificate(self, payload):
        """An order of the office about a society, as a verifiable PDF."""
        command = parse(contracts.IssueOrderCertificateV1, payload)
        ctx = self.caller
        if not access.is_office_staff_for(ctx, f"society:{command.society_id}",
                                          command.society_id, self._offices()):
            raise Forbidden("Only the society's registrar's office issues its orders.")
        subject = {"society_id": command.society_id, "order_number": command.order_number,
                   "order_date": command.order_date.isoformat(), "title": command.title}
        key = None
        try:
            with self.db.unit_of_work() as uow:
                prior = uow.replay(payload)
                if prior is not None:
                    return prior.response
                key, answer = self._issue(
                    uow, certificate_kind="order", society_id=command.society_id,
                    subject=subject, title=command.title,
                    file_name=names.sanitise(f"order-{command.order_number}.pdf")
                    or "order.pdf",
                    access_level=command.access_level,
                    make_pdf=lambda code, url, at: certificates.order_pdf(
                        subject, command.text, code, url, at))
                return uow.respond(answer)
        except BaseException:
            if key is not None:
                self._remove(key)
            raise

    @rpc
    def issue_return_pdf(self, payload):
        """A submitted or accepted return as a verifiable PDF, once per submission: read
        from filings with the caller's context (a return the caller may not see answers
        404 there), laid out by its form's definition (services/documents/return_forms)."""
        command = parse(contracts.IssueReturnPdfV1, payload)
        with eventlet.Timeout(self.settings.filings_timeout):
            filing = self.filings.get_filing(payload={"filing_id": command.filing_id})
        if filing["status"] not in return_forms.PRINTED or not filing["submissions"]:
            raise Conflict("Only a submitted or accepted return is printed; this one is "
                           f"{filing['status']}.", {"status": filing["status"]})
        subject = return_forms.subject(filing)
        owner, about = return_forms.owner(filing)
        certificate_kind = return_forms.certificate_kind(subject["submission"])
        with self.db.read() as session:
            found = _issued_answer(session, owner, about, certificate_kind)
        if found is not None:
            return found
        with eventlet.Timeout(self.settings.filings_timeout):
            definition = self.filings.get_form(payload={
                "code": filing["form_code"], "jurisdiction": filing["jurisdiction"],
                "version": filing["form_version"]})
        key = None
        try:
            with self.db.unit_of_work() as uow:
                found = _issued_answer(uow.session, owner, about, certificate_kind)
                if found is not None:          # printed meanwhile by another call
                    return found
                name = (f"{filing['form_code']}-{filing['period_end']}-"
                        f"{subject['submission']}.pdf")
                key, answer = self._issue(
                    uow, certificate_kind=certificate_kind, society_id=about,
                    subject=subject, owner=owner, kind="return",
                    title=f"{filing['form_code']} for the period ended "
                          f"{filing['period_end']} (submission {subject['submission']})",
                    file_name=names.sanitise(name) or "return.pdf",
                    access_level="society_and_office", announce=False,
                    make_pdf=lambda code, url, at: return_forms.return_pdf(
                        subject, filing, definition, code, url, at))
                return answer
        except BaseException:
            if key is not None:
                self._remove(key)
            raise

    @rpc
    def verify_certificate(self, payload):
        """Genuine and unaltered? From the printed code, a file's SHA-256, or both."""
        command = parse(contracts.VerifyCertificateV1, payload)
        row = None
        code = None
        if command.code is not None:
            code = certificates.normalise_code(command.code)
            if code is None:
                raise InvalidInput("Not a verification code.",
                                   fields={"code": "12 letters and digits, as printed"})
        with self.db.read() as session:
            if code is not None:
                row = records.certificate_by_code(session, code)
            elif command.sha256 is not None:
                row = records.certificate_by_sha(session, command.sha256)
        if row is None:
            return contracts.CertificateVerificationV1(
                genuine=False,
                file_matches=None if command.sha256 is None else False).wire()
        matches = None if command.sha256 is None else command.sha256 == row.sha256
        return contracts.CertificateVerificationV1(
            genuine=matches is not False, file_matches=matches,
            verification_code=certificates.printed(row.verification_code),
            certificate_kind=row.certificate_kind, subject=row.subject,
            issued_at=row.issued_at, document_id=row.document_id, version=row.version,
            sha256=row.sha256).wire()


def _issued_answer(session, owner: str, society_id: str, certificate_kind: str):
    """The certificate already issued to ``owner`` of this kind, as ``issue_*`` answers."""
    document_id = records.issued_document(session, owner=owner, society_id=society_id,
                                          certificate_kind=certificate_kind)
    row = records.certificate_of(session, document_id) if document_id else None
    if row is None:
        return None
    return contracts.CertificateV1(
        document_id=row.document_id, version=row.version,
        verification_code=row.verification_code, certificate_kind=row.certificate_kind,
        society_id=row.society_id, sha256=row.sha256, issued_at=row.issued_at).wire()
