"""`flask drafts purge`: anonymous visitors' abandoned drafts go with their files; an account's drafts and
anything submitted stay, however old (domain.md §6; issue 17 item 1)."""
import io
import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from werkzeug.datastructures import FileStorage

from tests.uploads.corpus import encode
from wizard.extensions import db
from wizard.models import Profile, ProfileAdmin, Upload
from wizard.models.base import utcnow
from wizard.services import uploads
from wizard.services.drafts import start_draft


def draft_with_file(days_old: int, status: str = "draft", owner=None) -> tuple[Profile, Upload]:
    profile = start_draft("cluster_member", owner, None if owner else f"key-{days_old}-{status}")
    upload = uploads.accept(FileStorage(io.BytesIO(encode("PNG")), "p.png"), uploads.PROOF, profile, owner)
    db.session.commit()
    submitted_at = None if status == "draft" else utcnow() - timedelta(days=days_old + 1)
    db.session.execute(update(Profile).where(Profile.id == profile.id)
                       .values(status=status, submitted_at=submitted_at,
                               updated_at=utcnow() - timedelta(days=days_old)))
    db.session.commit()
    return profile, upload


def purge(app, *args: str):
    result = app.test_cli_runner().invoke(args=["drafts", "purge", *args])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result


def test_purge_removes_old_anonymous_drafts_with_their_files_and_nothing_else(app, applicant, make_user):
    root = app.config["UPLOAD_FOLDER"]
    old, old_file = draft_with_file(40)
    recent, recent_file = draft_with_file(10)
    # A signed-in applicant's 40-day-old draft is the account's data: it stays with its upload.
    accounts, accounts_file = draft_with_file(40, owner=applicant)
    # Its owner deleted their account, but a co-administrator still administers it.
    co_admined, co_admined_file = draft_with_file(40, owner=make_user())
    db.session.add(ProfileAdmin(profile_id=co_admined.id, user_id=applicant.id))
    db.session.execute(update(Profile).where(Profile.id == co_admined.id)
                       .values(owner_id=None, updated_at=utcnow() - timedelta(days=40)))
    db.session.commit()
    others = [draft_with_file(400, status=status)
              for status in ("submitted", "published", "changes_requested", "rejected", "withdrawn")]
    stale_temp, fresh_temp, orphan = (os.path.join(root, n) for n in (".tmp-0123456789abcdef", ".tmp-fedcba9876543210",
                                                                       "A" * 32 + ".png"))
    for path in (stale_temp, fresh_temp, orphan):
        with open(path, "wb") as handle:
            handle.write(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(stale_temp, (two_hours_ago, two_hours_ago))
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    old_name, old_id, old_file_id = old_file.storage_name, old.id, old_file.id
    kept = {recent.id, accounts.id, co_admined.id, *(p.id for p, _ in others)}
    kept_files = sorted([".tmp-fedcba9876543210", recent_file.storage_name, accounts_file.storage_name,
                         co_admined_file.storage_name, *(u.storage_name for _, u in others)])

    result = purge(app, "--older-than", "30")

    assert {p.id for p in db.session.scalars(select(Profile))} == kept
    assert len(list(db.session.scalars(select(Upload)))) == len(kept)
    assert sorted(os.listdir(root)) == kept_files and old_name not in os.listdir(root)
    assert db.session.get(Profile, old_id) is None and db.session.get(Upload, old_file_id) is None
    assert "Removed 1 anonymous draft(s) not changed for 30 day(s), 1 of their file(s), and 2 stray file(s)." \
        in result.output


@pytest.mark.config(ANONYMOUS_DRAFT_DAYS=7)
def test_purge_keeps_anonymous_drafts_for_the_configured_days_by_default(app, applicant):
    gone, _ = draft_with_file(8)
    young, _ = draft_with_file(6)
    accounts, _ = draft_with_file(400, owner=applicant)
    gone_id = gone.id

    result = purge(app)

    assert "Removed 1 anonymous draft(s) not changed for 7 day(s)" in result.output
    assert {p.id for p in db.session.scalars(select(Profile))} == {young.id, accounts.id}
    assert db.session.get(Profile, gone_id) is None


def test_purge_by_default_keeps_an_anonymous_draft_younger_than_thirty_days(app):
    young, _ = draft_with_file(29)
    old, _ = draft_with_file(31)
    old_id = old.id
    purge(app)
    assert {p.id for p in db.session.scalars(select(Profile))} == {young.id}
    assert db.session.get(Profile, old_id) is None


def test_purge_refuses_a_number_of_days_below_one(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["drafts", "purge", "--older-than", "0"]).exit_code != 0
    app.config["ANONYMOUS_DRAFT_DAYS"] = 0
    result = runner.invoke(args=["drafts", "purge"])
    assert result.exit_code != 0 and "ANONYMOUS_DRAFT_DAYS" in result.output
