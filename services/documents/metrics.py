"""What an operator watches in the documents service beyond the chassis' RPC and event
metrics: bytes in and out, uploads by outcome (a rising share of ``truncated`` or
``checksum_mismatch`` points at a network or a client), upload duration, restricted
downloads, certificates issued, store failures, partial objects cleaned up and the
audit anchors kept."""

from __future__ import annotations

from functools import cache

from prometheus_client import REGISTRY, Counter, Histogram

UPLOAD_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class DocumentsMetrics:
    def __init__(self, registry=REGISTRY):
        ns = "documents"
        self.uploads = Counter("uploads", "Uploads by kind and outcome (stored, or why "
                               "refused: too_large, empty, truncated, size_mismatch, "
                               "checksum_mismatch, wrong_type, infected, conflict, failed)",
                               ["kind", "outcome"], namespace=ns, registry=registry)
        self.upload_bytes = Counter("upload_bytes", "Bytes of stored uploads", ["kind"],
                                    namespace=ns, registry=registry)
        self.upload_seconds = Histogram("upload_seconds", "Time from the first byte to "
                                        "the committed record", namespace=ns,
                                        buckets=UPLOAD_BUCKETS, registry=registry)
        self.downloads = Counter("downloads", "Downloads started, by access level",
                                 ["access_level"], namespace=ns, registry=registry)
        self.download_bytes = Counter("download_bytes", "Bytes sent by the data plane",
                                      namespace=ns, registry=registry)
        self.certificates = Counter("certificates_issued", "Certificates issued, by kind",
                                    ["certificate_kind"], namespace=ns, registry=registry)
        self.store_errors = Counter("store_errors", "Failures of the object store, by "
                                    "operation", ["operation"], namespace=ns,
                                    registry=registry)
        self.cleanups = Counter("partial_objects_removed", "Objects removed because their "
                                "upload or certificate did not commit", namespace=ns,
                                registry=registry)
        self.anchors_kept = Counter("audit_anchors_kept", "Audit chain anchors kept, by "
                                    "service (a redelivered or repeated head is not "
                                    "counted)", ["service"], namespace=ns, registry=registry)


@cache
def documents_metrics() -> DocumentsMetrics:
    return DocumentsMetrics()
