"""Uploaded files as the app sees them: accept one for a draft, discard it, say who may download it,
and purge abandoned drafts with their files.

The bytes go through wizard.uploads (content check, re-encoding, random names outside the static
folder); this module keeps the Upload rows and the files in step with the database transaction:
a file whose row is rolled back is deleted, and a discarded file is deleted only once the deletion
of its row is committed.
"""
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from flask import current_app
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from wizard import uploads as files
from wizard.engine import first_value
from wizard.extensions import db
from wizard.forms.members import file_fields
from wizard.models import Affiliation, Profile, ProfileAdmin, ProfileStatus, Upload, User
from wizard.models.base import utcnow
from wizard.models.uploads import LOGO, PROOF
from wizard.services.drafts import may_edit
from wizard.services.visibility import profile_is_public

KINDS = {PROOF: files.PROOF_KINDS, LOGO: files.LOGO_KINDS}
MAX_UPLOADS_PER_PROFILE = 12
STALE_FILE_SECONDS = 3600

UploadRejected = files.UploadRejected
StorageFull = files.StorageFull
log = logging.getLogger(__name__)


def upload_storage() -> files.Storage:
    """The configured backend (UPLOAD_STORAGE): a folder or a bucket; nothing else knows which."""
    return current_app.extensions["upload_storage"]


def accept(file, purpose: str, profile: Profile, user: User | None) -> Upload:
    """Checks and stores one uploaded file for `profile`; raises UploadRejected or StorageFull with a message."""
    count = db.session.scalar(select(func.count()).select_from(Upload).where(Upload.profile_id == profile.id))
    if count >= MAX_UPLOADS_PER_PROFILE:
        raise UploadRejected(f"This profile already has {MAX_UPLOADS_PER_PROFILE} files. Remove one first.")
    storage = upload_storage()
    # The clean copy is streamed into storage, and gets its name only once it is complete and passed.
    storage_name, clean = files.save_checked(storage, partial(
        files.check_upload, file.stream, file.filename or "", KINDS[purpose], current_app.config["UPLOAD_MAX_BYTES"]))
    _pending(db.session, "stored").append((storage, storage_name))
    upload = Upload(storage_name=storage_name, original_name=clean.original_name, content_type=clean.content_type,
                    size=clean.size, sha256=clean.sha256, purpose=purpose, profile_id=profile.id,
                    uploaded_by_id=user.id if user is not None and user.is_authenticated else None)
    db.session.add(upload)
    db.session.flush()
    return upload


def discard(upload: Upload) -> None:
    """Deletes the row now and the file once that is committed, unless an affiliation still shows it."""
    in_use = db.session.scalar(select(Affiliation.id).where(Affiliation.proof_upload_id == upload.id).limit(1))
    if in_use is not None:
        return  # the proof of a submitted request stays with the request
    _pending(db.session, "discarded").append((upload_storage(), upload.storage_name))
    db.session.delete(upload)


def upload_of(profile: Profile, upload_id: int | None, purpose: str) -> Upload | None:
    """The upload `upload_id` if it belongs to `profile` and serves `purpose`: stored answers never point elsewhere."""
    if not upload_id:
        return None
    upload = db.session.get(Upload, upload_id)
    if upload is None or upload.profile_id != profile.id or upload.purpose != purpose:
        return None
    return upload


def answered_upload(profile: Profile, step_name: str, field_name: str, purpose: str) -> Upload | None:
    """The upload a step's stored answer points at (an id, as the step saved it), if it is this profile's."""
    value = first_value(profile.answers or {}, step_name, field_name)
    upload_id = int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12 \
        else None
    return upload_of(profile, upload_id, purpose)


def step_uploads(profile: Profile, step_name: str, form) -> dict[str, Upload | None]:
    """The upload each file field of a step's form points at in the stored answers, by field name."""
    return {field.name: answered_upload(profile, step_name, field.name, field.purpose)
            for field, _ in file_fields(form)}


def _pending(session: Session, kind: str) -> list:
    return session.info.setdefault(f"upload_files_{kind}", [])


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    for storage, name in session.info.pop("upload_files_discarded", []):
        _delete_quietly(storage, name)
    session.info.pop("upload_files_stored", None)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    # A file whose row never made it to the database would be an orphan.
    for storage, name in session.info.pop("upload_files_stored", []):
        _delete_quietly(storage, name)
    session.info.pop("upload_files_discarded", None)


def _delete_quietly(storage: files.Storage, name: str) -> bool:
    """Deletes a file whose row is gone; if the store is down, the purge's orphan sweep removes it later."""
    try:
        storage.delete(name)
    except OSError:
        log.warning("could not remove an uploaded file now; the purge will remove it")
        return False
    return True


def may_download(user: User | None, upload: Upload, anon_key: str | None = None) -> bool:
    """The one rule for who may fetch a file (reliability.md UP-7); the view answers 404 to everyone else."""

    profile = db.session.get(Profile, upload.profile_id) if upload.profile_id else None
    if upload.purpose == LOGO and profile is not None and profile_is_public(profile):
        return True
    signed_in = user is not None and user.is_authenticated
    if signed_in and user.is_staff:
        return True
    if profile is not None and may_edit(profile, user if signed_in else None, anon_key):
        return True  # the applicant, the owner and the profile's administrators
    if not signed_in:
        return False
    # Administrators of a cluster organisation asked to confirm the membership this file proves.
    return db.session.scalar(
        select(Affiliation.id).join(ProfileAdmin, ProfileAdmin.profile_id == Affiliation.cluster_profile_id)
        .where(Affiliation.proof_upload_id == upload.id, ProfileAdmin.user_id == user.id).limit(1)
    ) is not None


def open_stored(upload: Upload):
    """The stored bytes, opened for reading (FileNotFoundError if they are gone)."""
    return upload_storage().open(upload.storage_name)


def download_name(upload: Upload) -> str:
    """A name the app makes (RFC 6266): never the applicant's, which is display text only."""
    extension = {"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf"}.get(upload.content_type, "")
    return f"{upload.purpose}-{upload.id}{extension}"


@dataclass
class PurgeReport:
    drafts: int = 0
    files: int = 0
    stale_files: int = 0


def purge_abandoned_drafts(older_than_days: int) -> PurgeReport:
    """Deletes anonymous drafts not changed for `older_than_days` days with their files, then stray files in
    storage. A draft with an account (its owner or any administrator) is the account's data and is kept
    however old it is (domain.md §6: only anonymous visitors' drafts are purged), as is anything submitted."""
    report = PurgeReport()
    cutoff = utcnow() - timedelta(days=older_than_days)
    administered = select(ProfileAdmin.profile_id).where(ProfileAdmin.profile_id == Profile.id).exists()
    abandoned = ((Profile.status == ProfileStatus.DRAFT.value) & (Profile.updated_at < cutoff)
                 & Profile.owner_id.is_(None) & Profile.submitted_at.is_(None) & ~administered)
    storage = upload_storage()
    for profile_id in list(db.session.scalars(select(Profile.id).where(abandoned))):
        names = list(db.session.scalars(select(Upload.storage_name).where(Upload.profile_id == profile_id)))
        # Compare-and-set: a draft saved since the query above is not abandoned any more.
        deleted = db.session.execute(delete(Profile).where(Profile.id == profile_id, abandoned)).rowcount
        if deleted:
            db.session.execute(delete(Upload).where(Upload.profile_id == profile_id))
        db.session.commit()
        if deleted:
            report.drafts += 1
            for name in names:
                report.files += _delete_quietly(storage, name)
    known = set(db.session.scalars(select(Upload.storage_name)))
    report.stale_files = storage.remove_orphans(known, STALE_FILE_SECONDS, time.time())
    return report
