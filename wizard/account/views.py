"""The account holder's own data, under /account/: withdraw a submission, download a copy of everything,
delete the account. Open to every signed-in person, for their own data only.

These pages were under /admin/ once: `moved` sends those addresses (bookmarks, e-mails already sent) here.
"""
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select

from wizard.account.forms import DeleteAccountForm, WithdrawForm
from wizard.auth.helpers import public
from wizard.extensions import db, limiter
from wizard.models import Profile
from wizard.services import applicant_rights
from wizard.services.administration import administers
from wizard.services.drafts import drafts_of

bp = Blueprint("account", __name__)
moved = Blueprint("account_moved", __name__)


@bp.route("/my-data")
@login_required
def my_data():
    return render_template("account/my_data.html", profiles=drafts_of(current_user))


@bp.route("/my-data/export")
@login_required
@limiter.limit("10 per hour")
def export_my_data():
    data = applicant_rights.export_data(current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="my-cluster-registration-data.json"'})


def _own_profile(public_id: str) -> Profile:
    profile = db.session.scalar(select(Profile).where(Profile.public_id == public_id))
    # Someone else's profile is "not found": ids are not confirmed to people who cannot see them.
    if profile is None or not administers(current_user, profile):
        abort(404)
    return profile


@bp.route("/my-data/profiles/<public_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(public_id: str):
    profile = _own_profile(public_id)
    posted = request.method == "POST"
    form = WithdrawForm() if posted else WithdrawForm(formdata=None, data={"version": profile.version})
    if form.validate_on_submit():
        try:
            version = int(form.version.data or "")
        except ValueError:
            abort(400)
        try:
            applicant_rights.withdraw(profile, current_user, version)
        except applicant_rights.RightsRefused as refusal:
            form = WithdrawForm(formdata=None, data={"version": profile.version})
            form.form_errors.append(str(refusal))
            return render_template("account/withdraw.html", profile=profile, form=form), 409
        flash(f"You have withdrawn {profile.display_name}. The validation team will not look at it.", "success")
        return redirect(url_for("account.my_data"))
    return render_template("account/withdraw.html", profile=profile, form=form), 400 if form.errors else 200


@bp.route("/my-data/delete", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def delete_account():
    form = DeleteAccountForm()
    plan = applicant_rights.deletion_plan(current_user)
    if current_user.is_staff:
        form.form_errors.append("Staff accounts are removed by an administrator, not from this page.")
        return render_template("account/delete_account.html", form=form, plan=plan), 403
    if form.validate_on_submit():
        try:
            applicant_rights.delete_account(current_user, form.password.data)
        except applicant_rights.RightsRefused as refusal:
            form.password.errors.append(str(refusal))
        else:
            logout_user()
            session.clear()
            return redirect(url_for("account.account_deleted"))
    return render_template("account/delete_account.html", form=form, plan=plan), 400 if form.errors else 200


@bp.route("/deleted")
@public
def account_deleted():
    return render_template("account/account_deleted.html")


def _moved(old: str, endpoint: str) -> None:
    def to_new_address(**values):
        return redirect(url_for(endpoint, **values), 308)

    moved.add_url_rule(old, f"{endpoint.split('.')[1]}", to_new_address, methods=["GET", "POST"])


for _old, _endpoint in (("/my-data", "account.my_data"), ("/my-data/export", "account.export_my_data"),
                        ("/my-data/profiles/<public_id>/withdraw", "account.withdraw"),
                        ("/my-data/delete", "account.delete_account"), ("/account-deleted", "account.account_deleted")):
    _moved(_old, _endpoint)
