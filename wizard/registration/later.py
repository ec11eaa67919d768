"""Save and come back later: a resume link by e-mail, and the page that link opens.

Opening the link only shows a page (mail scanners open links); the button's POST continues.
"""
from flask import abort, redirect, render_template, session, url_for
from flask_login import current_user

from wizard.auth.helpers import ANON_KEY
from wizard.extensions import db, limiter
from wizard.forms.auth import ConfirmForm
from wizard.forms.submission import ResumeEmailForm
from wizard.models import Profile
from wizard.registration.common import bp, current_applicant, load_draft
from wizard.services import drafts
from wizard.tokens import Purpose, TokenError, check_token, consume_token


@bp.route("/drafts/<public_id>/save-for-later", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def save_for_later(public_id: str):
    profile = load_draft(public_id)
    form = ResumeEmailForm(data={"email": current_user.email} if current_user.is_authenticated else None)
    if form.validate_on_submit():
        # A signed-in applicant's link goes to their own address, whatever the form says.
        address = current_user.email if current_user.is_authenticated else form.email.data
        drafts.send_resume_link(profile, address)
        return render_template("wizard/saved.html", profile=profile, email=address)
    return render_template("wizard/save_for_later.html", profile=profile, form=form), 400 if form.errors else 200


@bp.route("/resume/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def resume_from_link(token: str):
    try:
        link = check_token(Purpose.RESUME_DRAFT, token)
    except TokenError as error:
        return render_template("auth/link_problem.html", reason=error.reason, kind="resume"), 404
    profile = db.session.get(Profile, link.subject_id)
    if profile is None:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("wizard/resume.html", profile=profile, form=form)
    continue_at = url_for("wizard.resume", public_id=profile.public_id)
    if profile.owner_id is not None:
        # An account's draft opens for that account only: the link is a reminder, not a key.
        if current_user.is_authenticated and drafts.may_edit(profile, current_user, None):
            return redirect(continue_at)
        return redirect(url_for("auth.sign_in", next=continue_at))
    if not consume_token(link):
        return render_template("auth/link_problem.html", reason="used", kind="resume"), 404
    key = drafts.hand_over(profile, current_applicant(), session.get(ANON_KEY))
    if key:
        session[ANON_KEY] = key
    return redirect(continue_at)
