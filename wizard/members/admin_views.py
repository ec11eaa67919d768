"""A profile's administrators: list, invite a colleague, accept an invitation, remove one (never the last)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from wizard.auth.helpers import public
from wizard.extensions import db, limiter
from wizard.forms.auth import ConfirmForm
from wizard.forms.members import InviteForm
from wizard.members.views import bp
from wizard.models import Profile, ProfileAdmin
from wizard.services import administration, coadmins
from wizard.tokens import TokenError


def _administered(public_id: str) -> Profile:
    profile = db.session.scalar(db.select(Profile).where(Profile.public_id == public_id))
    if profile is None or not administration.administers(current_user, profile):
        abort(404)
    return profile


def _page(profile: Profile, form: InviteForm, status: int = 200):
    return render_template("members/administrators.html", profile=profile, form=form,
                           admins=administration.administrators(profile), confirm=ConfirmForm()), status


@bp.route("/profiles/<public_id>/administrators")
@login_required
def administrators(public_id: str):
    return _page(_administered(public_id), InviteForm())


@bp.route("/profiles/<public_id>/administrators/invite", methods=["POST"])
@login_required
@limiter.limit("20 per hour")
def invite(public_id: str):
    profile = _administered(public_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            coadmins.invite(profile, current_user, form.email.data)
        except coadmins.CoadminError as refusal:
            form.email.errors.append(str(refusal))
        else:
            flash(f"We sent an invitation to {form.email.data}. It works for "
                  f"{coadmins_days()} days; they must sign in with that address to accept it.", "success")
            return redirect(url_for("members.administrators", public_id=public_id))
    return _page(profile, form, 400)


def coadmins_days() -> int:
    from flask import current_app

    return current_app.config["COADMIN_INVITE_MAX_AGE"] // 86400


@bp.route("/profiles/<public_id>/administrators/<int:user_id>/remove", methods=["POST"])
@login_required
@limiter.limit("30 per hour")
def remove_administrator(public_id: str, user_id: int):
    profile = _administered(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    leaving = user_id == current_user.id
    try:
        coadmins.remove(profile, current_user, user_id)
    except coadmins.CoadminError as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("members.administrators", public_id=public_id))
    if leaving:
        flash(f"You no longer administer {profile.display_name}.", "success")
        return redirect(url_for("wizard.my_profiles"))
    flash("The administrator was removed.", "success")
    return redirect(url_for("members.administrators", public_id=public_id))


@bp.route("/profiles/invitations/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
@public
def accept_invitation(token: str):
    try:
        invitation = coadmins.invitation(token)
    except TokenError as error:
        return render_template("members/link_problem.html", reason=error.reason), 404
    form = ConfirmForm()
    signed_in_as_invitee = current_user.is_authenticated and current_user.email.lower() == invitation.email
    already = signed_in_as_invitee and db.session.get(ProfileAdmin, (invitation.profile.id, current_user.id))
    if request.method == "POST" and signed_in_as_invitee and form.validate_on_submit():
        try:
            profile = coadmins.accept(token, current_user)
        except TokenError as error:
            return render_template("members/link_problem.html", reason=error.reason), 404
        flash(f"You now administer {profile.display_name}.", "success")
        return redirect(url_for("wizard.my_profiles"))
    status = 403 if request.method == "POST" else 200
    return render_template("members/invitation.html", invitation=invitation, form=form, already=bool(already),
                           signed_in_as_invitee=signed_in_as_invitee,
                           sign_in_url=url_for("auth.sign_in", next=request.path)), status
