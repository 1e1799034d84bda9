"""Where the bytes live: one interface, two backends. ``FilesystemStore`` (the embedded
single-machine default: a temporary file, fsync, then an atomic rename, so a reader never
sees half a file) and ``S3Store`` (MinIO or any S3 through the ``minio`` client: multipart
upload of a stream of unknown length, one part in memory at a time).

``put`` reads a file-like object to its end; on any failure it leaves nothing behind
under the key. ``delete`` is idempotent; ``open`` yields chunks."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

CHUNK = 1024 * 1024


class ObjectMissing(Exception):
    pass


class ObjectStore(Protocol):
    def put(self, key: str, reader, length: int | None = None) -> None: ...
    def open(self, key: str) -> Iterator[bytes]: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...


class FilesystemStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("object key escapes the store")
        return path

    def put(self, key: str, reader, length: int | None = None) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
        try:
            with open(temp, "wb") as out:
                while True:
                    chunk = reader.read(CHUNK)
                    if not chunk:
                        break
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            raise

    def open(self, key: str) -> Iterator[bytes]:
        try:
            handle = open(self._path(key), "rb")
        except FileNotFoundError:
            raise ObjectMissing(key) from None

        def chunks() -> Iterator[bytes]:
            with handle:
                while chunk := handle.read(CHUNK):
                    yield chunk
        return chunks()

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


class S3Store:
    def __init__(self, *, endpoint: str, access_key: str, secret_key: str, bucket: str,
                 secure: bool = False, region: str | None = None,
                 part_size: int = 8 * 1024 * 1024):
        from minio import Minio

        self.client = Minio(endpoint, access_key=access_key, secret_key=secret_key,
                            secure=secure, region=region)
        self.bucket = bucket
        self.part_size = part_size

    def ensure_bucket(self) -> None:
        if not self.client.bucket_exists(bucket_name=self.bucket):
            self.client.make_bucket(bucket_name=self.bucket)

    def put(self, key: str, reader, length: int | None = None) -> None:
        # minio aborts its multipart upload when reading fails, so nothing is left; one
        # part at a time keeps memory at one part per upload.
        self.client.put_object(bucket_name=self.bucket, object_name=key, data=reader,
                               length=-1 if length is None else length,
                               part_size=self.part_size, num_parallel_uploads=1)

    def open(self, key: str) -> Iterator[bytes]:
        from minio.error import S3Error

        try:
            response = self.client.get_object(bucket_name=self.bucket, object_name=key)
        except S3Error as exc:
            if exc.code == "NoSuchKey":
                raise ObjectMissing(key) from None
            raise

        def chunks() -> Iterator[bytes]:
            try:
                yield from response.stream(CHUNK)
            finally:
                response.close()
                response.release_conn()
        return chunks()

    def presigned_get(self, key: str, seconds: int) -> str:
        """A URL that reads the object straight from S3 for ``seconds``: downloads then
        skip the data plane (one hop fewer; measured in tests/perf/bench_documents.py)."""
        from datetime import timedelta

        return self.client.presigned_get_object(bucket_name=self.bucket, object_name=key,
                                                expires=timedelta(seconds=seconds))

    def delete(self, key: str) -> None:
        self.client.remove_object(bucket_name=self.bucket, object_name=key)

    def exists(self, key: str) -> bool:
        from minio.error import S3Error

        try:
            self.client.stat_object(bucket_name=self.bucket, object_name=key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NotFound"):
                return False
            raise
        return True


def make_store(settings) -> ObjectStore:
    if settings.store == "s3":
        store = S3Store(endpoint=settings.s3_endpoint,
                        access_key=settings.s3_access_key.get_secret_value(),
                        secret_key=settings.s3_secret_key.get_secret_value(),
                        bucket=settings.s3_bucket, secure=settings.s3_secure,
                        region=settings.s3_region, part_size=settings.s3_part_size)
        store.ensure_bucket()
        return store
    return FilesystemStore(settings.resolved_files_dir)
