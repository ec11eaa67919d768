"""Administration: countries' EU/COSME status and validator accounts."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from wizard.admin.forms import AddValidatorForm, CountryFlagForm
from wizard.auth.helpers import admin_required
from wizard.forms.auth import ConfirmForm
from wizard.services import admin, outbox

bp = Blueprint("admin", __name__)


@bp.route("/")
@admin_required
def index():
    return render_template("admin/index.html")


@bp.route("/countries")
@admin_required
def countries():
    return render_template("admin/countries.html", countries=admin.countries())


@bp.route("/countries/<code>", methods=["POST"])
@admin_required
def set_country(code: str):
    form = CountryFlagForm()
    if not form.validate():
        abort(400)
    try:
        country = admin.set_eu_cosme(code, form.eu_cosme.data == "on", current_user)
    except admin.AdminRefused:
        abort(404)
    flash(f"{country.name} is {'now' if country.eu_cosme else 'no longer'} an EU/COSME country.", "success")
    return redirect(url_for("admin.countries", _anchor=f"country-{country.code}"))


@bp.route("/validators", methods=["GET", "POST"])
@admin_required
def validators():
    form = AddValidatorForm()
    if form.validate_on_submit():
        try:
            user = admin.make_validator(form.email.data, current_user)
        except admin.AdminRefused as refusal:
            form.email.errors.append(str(refusal))
        else:
            flash(f"{user.email} is now a validator. They need to sign in again.", "success")
            return redirect(url_for("admin.validators"))
    return render_template("admin/validators.html", form=form, staff=admin.staff(),
                           remove_form=ConfirmForm(formdata=None)), 400 if form.errors else 200


@bp.route("/validators/<int:user_id>/remove", methods=["POST"])
@admin_required
def remove_validator(user_id: int):
    if not ConfirmForm().validate():
        abort(400)
    try:
        user = admin.remove_validator(user_id, current_user)
    except admin.AdminRefused as refusal:
        flash(str(refusal), "error")
    else:
        flash(f"{user.email} is no longer a validator; their sign-ins have ended.", "success")
    return redirect(url_for("admin.validators"))


@bp.route("/emails/failed")
@admin_required
def failed_emails():
    return render_template("admin/failed_emails.html", messages=outbox.failed_messages())


@bp.route("/emails/<int:message_id>/send-again", methods=["POST"])
@admin_required
def send_email_again(message_id: int):
    if not ConfirmForm().validate():
        abort(400)
    if outbox.requeue_failed(message_id, current_user):
        flash("The e-mail is queued again; the sender tries it in its next round.", "success")
    else:
        flash("That e-mail is no longer waiting to be sent again (it was already queued or is not failed).", "info")
    return redirect(url_for("admin.failed_emails"))


