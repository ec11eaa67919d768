"""The page shown when the organisation being registered seems to have a profile already."""
from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from wizard import engine
from wizard.extensions import limiter
from wizard.forms.auth import ConfirmForm
from wizard.registration.common import bp, load_draft
from wizard.services import drafts
from wizard.services.administration import administers
from wizard.services.duplicates import (
    AccessRequestRefused,
    acknowledge_different,
    request_access,
    unacknowledged_duplicates,
)
from wizard.services.visibility import profile_is_public
from wizard.steps.common import ORGANISATION


@bp.route("/drafts/<public_id>/possible-duplicate")
def possible_duplicate(public_id: str):
    profile = load_draft(public_id)
    matches = unacknowledged_duplicates(profile)
    if not matches:
        return redirect(url_for("wizard.resume", public_id=public_id))
    shown, hidden = _shown_and_hidden(matches)
    return render_template("wizard/possible_duplicate.html", profile=profile, shown=shown, hidden=bool(hidden),
                           form=ConfirmForm(), administered={m.id for m in shown if _administers(m)},
                           organisation_step=ORGANISATION.name)


def _shown_and_hidden(matches: list) -> tuple[list, list]:
    """Public matches (and the viewer's own) are shown; the others are one anonymous "maybe": not their
    names, not their public ids, not even how many there are."""
    shown = [m for m in matches if _administers(m) or profile_is_public(m)]
    return shown, [m for m in matches if m not in shown]


def _administers(match) -> bool:
    return administers(current_user, match)


@bp.route("/drafts/<public_id>/possible-duplicate/different", methods=["POST"])
def confirm_different(public_id: str):
    profile = load_draft(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    acknowledge_different(profile, unacknowledged_duplicates(profile))
    path = drafts.path_for(profile)
    following = engine.first_unfinished(path, profile.answers or {}, after=ORGANISATION.name)
    if following is None:
        return redirect(url_for("wizard.resume", public_id=public_id))
    return redirect(url_for("wizard.step", public_id=public_id, step_name=following.name))


@bp.route("/drafts/<public_id>/possible-duplicate/<match_id>/ask", methods=["POST"])
@limiter.limit("10 per hour")
def ask_for_access(public_id: str, match_id: str):
    """Asks the administrators of a public match: its id is on the page anyway."""
    profile = load_draft(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    shown, _hidden = _shown_and_hidden(unacknowledged_duplicates(profile))
    match = next((m for m in shown if m.public_id == match_id), None)
    if match is None:
        abort(404)  # a profile that is not public cannot be probed by its id
    return _ask(profile, [match], {"match": match, "match_is_public": True})


@bp.route("/drafts/<public_id>/possible-duplicate/ask", methods=["POST"])
@limiter.limit("10 per hour")
def ask_for_access_unpublished(public_id: str):
    """Asks about the matches that are not public, without saying which, or whether there are any."""
    profile = load_draft(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _shown, hidden = _shown_and_hidden(unacknowledged_duplicates(profile))
    return _ask(profile, hidden, {"match": None, "match_is_public": False})


def _ask(profile, matches: list, shown: dict):
    if not current_user.is_authenticated:
        here = url_for("wizard.possible_duplicate", public_id=profile.public_id)
        return redirect(url_for("auth.sign_in", next=here))
    shown = {"profile": profile, **shown}
    try:
        sent = [request_access(profile, match, current_user) for match in matches]
    except AccessRequestRefused as refusal:
        return render_template("wizard/access_requested.html", **shown, sent=False, problem=str(refusal)), \
            429 if refusal.too_many else 400
    # About a profile that is not public, "already asked" would confirm that it exists.
    return render_template("wizard/access_requested.html", **shown, sent=any(sent) or not shown["match_is_public"],
                           problem=None)
