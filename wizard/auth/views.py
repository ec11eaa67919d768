"""Accounts: register, verify the e-mail address, sign in and out, reset a forgotten password."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from wizard.auth.helpers import remember_return, remembered_return, safe_next, sign_in_user
from wizard.extensions import db, limiter
from wizard.forms.auth import (
    ChangePasswordForm,
    ConfirmForm,
    EmailOnlyForm,
    NewPasswordForm,
    RegisterForm,
    SignInForm,
)
from wizard.services import accounts
from wizard.tokens import TokenError

bp = Blueprint("auth", __name__)


def _signin_limit() -> str:
    return current_app.config["SIGNIN_RATE_LIMIT"]


def _link_problem(error: TokenError, kind: str):
    return render_template("auth/link_problem.html", reason=error.reason, kind=kind), 404


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        accounts.register(form.email.data, form.password.data, form.full_name.data)
        session["registered_email"] = form.email.data
        remember_return(request.args.get("next"))
        return redirect(url_for("auth.check_email"))
    return render_template("auth/register.html", form=form, next_url=safe_next(request.args.get("next"), "") or None), \
        400 if form.errors else 200


@bp.route("/check-your-email")
def check_email():
    return render_template("auth/check_email.html", email=session.get("registered_email"))


@bp.route("/verify/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def verify_email(token: str):
    form = ConfirmForm()
    try:
        accounts.user_for_verify_token(token)
    except TokenError as error:
        return _link_problem(error, "verify")
    # Opening the link only shows the page (mail scanners open links); the button's POST confirms.
    if not form.validate_on_submit():
        return render_template("auth/verify.html", form=form)
    try:
        accounts.verify_email(token)
    except TokenError as error:
        return _link_problem(error, "verify")
    flash("Your e-mail address is confirmed.", "success")
    if current_user.is_authenticated:
        return redirect(remembered_return() or url_for("main.index"))
    return redirect(url_for("auth.sign_in", next=remembered_return()))


@bp.route("/resend-verification", methods=["POST"])
@limiter.limit("5 per hour")
def resend_verification():
    form = ConfirmForm()
    if form.validate_on_submit() and current_user.is_authenticated and not current_user.is_verified:
        accounts.send_verification_email(current_user)

        db.session.commit()
        flash("We have sent you a new confirmation link.", "info")
    return redirect(url_for("main.index"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
def sign_in():
    form = SignInForm()
    next_url = safe_next(request.args.get("next"), "") or None
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except accounts.AccountError as error:
            form.password.errors.append(str(error))
        else:
            if next_url:
                remember_return(next_url)
            returning = sign_in_user(user)
            flash("You are signed in.", "success")
            return redirect(returning or url_for("main.index"))
    return render_template("auth/sign_in.html", form=form, next_url=next_url), 400 if form.errors else 200


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    form = ConfirmForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        accounts.end_session(current_user.current_auth_session_id)
        logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def reset_password(token: str):
    try:
        accounts.user_for_reset_token(token)
    except TokenError as error:
        return _link_problem(error, "reset")
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data)
        except TokenError as error:
            return _link_problem(error, "reset")
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form), 400 if form.errors else 200


@bp.route("/change-password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def change_password():
    form = ChangePasswordForm(current_user.email)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_own_password(user, form.current_password.data, form.password.data)
        except accounts.AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            # Every sign-in ended with the change, copied cookies included; this browser gets a new one.
            sign_in_user(user)
            flash("Your password has been changed. Everywhere else you were signed in, you are now signed out. "
                  "We have sent you an e-mail about it.", "success")
            return redirect(url_for("account.my_data"))
    return render_template("auth/change_password.html", form=form), 400 if form.errors else 200
