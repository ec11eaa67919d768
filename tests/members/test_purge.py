"""`flask drafts purge --older-than DAYS`: abandoned drafts go with their files; nothing else does."""
import io
import os
import time
from datetime import timedelta

from sqlalchemy import select, update
from werkzeug.datastructures import FileStorage

from tests.uploads.corpus import encode
from wizard.extensions import db
from wizard.models import Profile, Upload
from wizard.models.base import utcnow
from wizard.services import uploads
from wizard.services.drafts import start_draft


def draft_with_file(days_old: int, status: str = "draft") -> tuple[Profile, Upload]:
    profile = start_draft("cluster_member", None, f"key-{days_old}-{status}")
    upload = uploads.accept(FileStorage(io.BytesIO(encode("PNG")), "p.png"), uploads.PROOF, profile, None)
    db.session.commit()
    db.session.execute(update(Profile).where(Profile.id == profile.id)
                       .values(status=status, updated_at=utcnow() - timedelta(days=days_old)))
    db.session.commit()
    return profile, upload


def test_purge_removes_abandoned_drafts_with_their_files(app):
    root = app.config["UPLOAD_FOLDER"]
    old, old_file = draft_with_file(40)
    recent, recent_file = draft_with_file(10)
    submitted, submitted_file = draft_with_file(400, status="submitted")
    stale_temp, fresh_temp, orphan = (os.path.join(root, n) for n in (".tmp-0123456789abcdef", ".tmp-fedcba9876543210",
                                                                       "A" * 32 + ".png"))
    for path in (stale_temp, fresh_temp, orphan):
        with open(path, "wb") as handle:
            handle.write(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(stale_temp, (two_hours_ago, two_hours_ago))
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    old_name, old_id, old_file_id = old_file.storage_name, old.id, old_file.id
    kept = {recent.id, submitted.id}
    kept_files = sorted([".tmp-fedcba9876543210", recent_file.storage_name, submitted_file.storage_name])
    result = app.test_cli_runner().invoke(args=["drafts", "purge", "--older-than", "30"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 draft(s) not changed for 30 day(s), 1 of their file(s), and 2 stray file(s)." in result.output
    db.session.expire_all()
    assert db.session.get(Profile, old_id) is None and db.session.get(Upload, old_file_id) is None
    assert {p.id for p in db.session.scalars(select(Profile))} == kept
    assert sorted(os.listdir(root)) == kept_files and old_name not in os.listdir(root)


def test_purge_needs_a_number_of_days(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["drafts", "purge"]).exit_code != 0
    assert runner.invoke(args=["drafts", "purge", "--older-than", "0"]).exit_code != 0
