"""The ``s3`` backend: uploads as objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW).

An object appears only once its PUT is complete (S3 never shows a partial object), so a failed or
interrupted write leaves nothing, and the caller records no row. The clean copy is first spooled to a
local temporary file (bounded memory, and a known length for the PUT); the bucket stays private and
downloads are streamed through the app, which keeps the entitlement check: no presigned URL exists.

The client is made lazily in each process: gunicorn forks workers after loading the app, and a
connection pool must not be shared across a fork.
"""

from __future__ import annotations

import os
import tempfile
import threading
from contextlib import suppress
from datetime import UTC, datetime

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from . import storage as naming
from .errors import WriteFailed
from .storage import StorageFull

_MISSING = {"NoSuchKey", "404", "NotFound"}


class StorageUnavailable(OSError):
    """The object store did not answer (down, refused, timed out): the server's trouble, answered with 503."""


class S3Storage:
    def __init__(self, bucket: str, prefix: str = "", spool_folder: str | None = None, **client_options):
        if not bucket:
            raise ValueError("UPLOAD_STORAGE=s3 needs UPLOAD_S3_BUCKET")
        self.bucket = bucket
        self.prefix = prefix
        self.spool_folder = spool_folder
        self._client_options = client_options
        self._client = None
        self._pid = None
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config) -> S3Storage:
        return cls(
            bucket=config.get("UPLOAD_S3_BUCKET") or "",
            prefix=config.get("UPLOAD_S3_PREFIX") or "",
            spool_folder=config.get("UPLOAD_SPOOL_FOLDER"),
            endpoint_url=config.get("UPLOAD_S3_ENDPOINT_URL") or None,
            region_name=config.get("UPLOAD_S3_REGION") or None,
            # None lets boto3 find credentials itself (AWS_* variables, its config files, an instance role).
            aws_access_key_id=config.get("UPLOAD_S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("UPLOAD_S3_SECRET_ACCESS_KEY") or None,
            config=BotoConfig(
                s3={"addressing_style": config.get("UPLOAD_S3_ADDRESSING_STYLE") or "auto"},
                connect_timeout=config.get("UPLOAD_S3_TIMEOUT_SECONDS", 10),
                read_timeout=config.get("UPLOAD_S3_TIMEOUT_SECONDS", 10),
                retries={"mode": "standard", "max_attempts": config.get("UPLOAD_S3_MAX_ATTEMPTS", 3)},
            ),
        )

    def client(self):
        with self._lock:
            if self._client is None or self._pid != os.getpid():
                self._client = boto3.session.Session().client("s3", **self._client_options)
                self._pid = os.getpid()
            return self._client

    def _key(self, name: str) -> str:
        naming.check_name(name)
        return self.prefix + name

    def save(self, write) -> str:
        name = None
        try:
            with tempfile.TemporaryFile(dir=self.spool_folder) as spool:
                extension = write(spool)
                name = naming.new_name(extension)
                spool.flush()
                length = spool.tell()
                spool.seek(0)
                # One PUT (files are at most a few tens of MB): the object exists whole or not at all.
                self.client().put_object(Bucket=self.bucket, Key=self._key(name), Body=spool, ContentLength=length)
        except (OSError, WriteFailed, BotoCoreError, ClientError) as exc:
            if name is not None and isinstance(exc, BotoCoreError | ClientError):
                # The PUT may have completed with only its answer lost: the caller records no row, so no object.
                with suppress(BotoCoreError, ClientError):
                    self.client().delete_object(Bucket=self.bucket, Key=self._key(name))
            raise StorageFull() from exc
        return name

    def open(self, name: str):
        try:
            answer = self.client().get_object(Bucket=self.bucket, Key=self._key(name))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                raise FileNotFoundError(name) from exc
            raise StorageUnavailable(str(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(str(exc)) from exc
        return _Body(answer["Body"])

    def delete(self, name: str) -> None:
        try:
            self.client().delete_object(Bucket=self.bucket, Key=self._key(name))  # a missing key is not an error
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(str(exc)) from exc

    def exists(self, name: str) -> bool:
        try:
            self.client().head_object(Bucket=self.bucket, Key=self._key(name))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return False
            raise StorageUnavailable(str(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(str(exc)) from exc
        return True

    def names(self) -> dict[str, datetime]:
        """Every stored name under the prefix with its last-modified time (other keys are not ours)."""
        found: dict[str, datetime] = {}
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix):]
                with suppress(ValueError):
                    naming.check_name(name)
                    found[name] = item["LastModified"]
        return found

    def remove_orphans(self, known: set[str], older_than_seconds: float, now: float) -> int:
        removed = 0
        cutoff = datetime.fromtimestamp(now - older_than_seconds, UTC)
        for name, modified in self.names().items():
            # The age guard spares an object whose request has not committed its row yet.
            if name not in known and modified <= cutoff:
                self.delete(name)
                removed += 1
        return removed


class _Body:
    """The object's bytes as a plain readable file for send_file.

    No ``fileno``, on purpose: gunicorn would try sendfile(2) on anything that has one.
    """

    def __init__(self, body):
        self._body = body

    def read(self, size: int = -1) -> bytes:
        return self._body.read(None if size is None or size < 0 else size)

    def close(self) -> None:
        self._body.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
