"""The page shown when the organisation being registered seems to have a profile already."""
from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from wizard import engine
from wizard.extensions import limiter
from wizard.forms.auth import ConfirmForm
from wizard.registration.common import bp, load_draft
from wizard.services import drafts
from wizard.services.duplicates import (
    AccessRequestRefused,
    acknowledge_different,
    request_access,
    unacknowledged_duplicates,
)
from wizard.services.visibility import profile_is_public


@bp.route("/drafts/<public_id>/possible-duplicate")
def possible_duplicate(public_id: str):
    profile = load_draft(public_id)
    matches = unacknowledged_duplicates(profile)
    if not matches:
        return redirect(url_for("wizard.resume", public_id=public_id))
    administered = {m.id for m in matches if _administers(m)}
    # A match that is not public yet shows only that it exists, except to its own administrators.
    public = administered | {m.id for m in matches if profile_is_public(m)}
    return render_template("wizard/possible_duplicate.html", profile=profile, matches=matches, form=ConfirmForm(),
                           administered=administered, public=public)


def _administers(match) -> bool:
    return current_user.is_authenticated and drafts.may_edit(match, current_user, None)


@bp.route("/drafts/<public_id>/possible-duplicate/different", methods=["POST"])
def confirm_different(public_id: str):
    profile = load_draft(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    acknowledge_different(profile, unacknowledged_duplicates(profile))
    path = drafts.path_for(profile)
    following = engine.first_unfinished(path, profile.answers or {}, after="organisation")
    if following is None:
        return redirect(url_for("wizard.resume", public_id=public_id))
    return redirect(url_for("wizard.step", public_id=public_id, step_name=following.name))


@bp.route("/drafts/<public_id>/possible-duplicate/<match_id>/ask", methods=["POST"])
@limiter.limit("10 per hour")
def ask_for_access(public_id: str, match_id: str):
    profile = load_draft(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    match = next((m for m in unacknowledged_duplicates(profile) if m.public_id == match_id), None)
    if match is None:
        abort(404)
    if not current_user.is_authenticated:
        here = url_for("wizard.possible_duplicate", public_id=public_id)
        return redirect(url_for("auth.sign_in", next=here))
    shown = {"profile": profile, "match": match, "match_is_public": profile_is_public(match)}
    try:
        sent = request_access(profile, match, current_user)
    except AccessRequestRefused as refusal:
        return render_template("wizard/access_requested.html", **shown, sent=False, problem=str(refusal)), \
            429 if refusal.too_many else 400
    return render_template("wizard/access_requested.html", **shown, sent=sent, problem=None)
