"""The registration wizard: thin views over the engine (wizard/engine.py) and the draft services."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from wtforms import FieldList

from wizard import engine, rules
from wizard.auth.helpers import ANON_KEY
from wizard.extensions import db, limiter
from wizard.forms.auth import ConfirmForm
from wizard.forms.submission import ProfileTypeForm, ResumeEmailForm, SubmitForm
from wizard.models import Profile
from wizard.services import drafts
from wizard.services.submission import SubmissionRefused, submit_draft
from wizard.summary import sections
from wizard.taxonomies import CRITERIA_TEXTS, PROFILE_TYPES_BY_KEY
from wizard.tokens import Purpose, TokenError, check_token, consume_token

bp = Blueprint("wizard", __name__)

CHECK = "check"


def _user():
    return current_user if current_user.is_authenticated else None


def _anon_key(create: bool = False) -> str | None:
    if create and not session.get(ANON_KEY):
        session[ANON_KEY] = drafts.new_anon_key()
    return session.get(ANON_KEY)


def _draft(public_id: str, editable: bool = True) -> Profile:
    profile = drafts.find_draft(public_id, _user(), _anon_key())
    if profile is None:
        abort(404)
    if editable and not profile.is_editable:
        flash("This profile has been submitted, so it can no longer be changed here.", "info")
        abort(redirect(url_for("wizard.submitted", public_id=public_id)))
    g.profile_type = PROFILE_TYPES_BY_KEY[profile.profile_type]
    return profile


@bp.route("/start/<profile_type>", methods=["GET", "POST"])
def start(profile_type: str):
    info = PROFILE_TYPES_BY_KEY.get(profile_type) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        profile = drafts.start_draft(profile_type, _user(), _anon_key(create=True))
        return redirect(url_for("wizard.step", public_id=profile.public_id, step_name="country"))
    return render_template("wizard/start.html", info=info, form=form, criteria=CRITERIA_TEXTS)


@bp.route("/drafts/<public_id>")
def resume(public_id: str):
    profile = _draft(public_id)
    path = drafts.path_for(profile)
    unfinished = engine.first_unfinished(path, profile.answers or {})
    if unfinished is None:
        return redirect(url_for("wizard.check_answers", public_id=public_id))
    return redirect(url_for("wizard.step", public_id=public_id, step_name=unfinished.name))


def _render_step(profile: Profile, path: engine.Path, step: engine.Step, form, status: int = 200):
    position, total = path.progress(step.name)
    previous = path.before(step.name)
    return render_template(
        step.template, profile=profile, step=step, form=form, position=position, total=total,
        previous=previous, returning=request.args.get("return") == CHECK,
    ), status


@bp.route("/drafts/<public_id>/<step_name>", methods=["GET", "POST"])
def step(public_id: str, step_name: str):
    profile = _draft(public_id)
    path = drafts.path_for(profile)
    current = path.get(step_name)
    if current is None:
        # A step that does not apply (any more) to this draft: go to where the draft stands.
        return redirect(url_for("wizard.resume", public_id=public_id))
    stored = (profile.answers or {}).get(step_name)
    if request.method == "GET":
        form = current.form(formdata=engine.to_formdata(stored) if stored else None, **current.form_kwargs)
        if request.args.get("errors") and stored:
            form.validate()
        return _render_step(profile, path, current, form)

    form = current.form(**current.form_kwargs)
    action = request.form.get("action", "continue")
    valid = form.validate()
    posted = engine.from_formdata(request.form, form)
    if current.handle_files is not None:
        posted.update(current.handle_files(profile, form))
        valid = valid and not any(f.errors for f in form)
    drafts.save_step(profile, current, posted, valid)
    if request.form.get("add_row"):
        # "Add another row" without JavaScript: the page comes back with what was typed and one more row,
        # and without error messages (nothing was submitted as an answer yet).
        fresh = current.form(**current.form_kwargs)
        rows = getattr(fresh, request.form["add_row"], None)
        if isinstance(rows, FieldList) and len(rows.entries) < (rows.max_entries or 1000):
            rows.append_entry()
        return _render_step(profile, drafts.path_for(profile), current, fresh)
    path = drafts.path_for(profile)  # the answer may have changed which steps apply
    if action == "back":
        previous = path.before(step_name)
        target = url_for("wizard.step", public_id=public_id, step_name=previous.name) if previous else \
            url_for("wizard.change_type", public_id=public_id)
        return redirect(target)
    if action == "save":
        return redirect(url_for("wizard.save_for_later", public_id=public_id))
    if not valid:
        return _render_step(profile, path, current, form, 400)
    if current.interrupt is not None and (target := current.interrupt(profile)):
        return redirect(target)
    if request.args.get("return") == CHECK or path.next_after(step_name) is None:
        unfinished = engine.first_unfinished(path, profile.answers or {})
        if unfinished is not None and request.args.get("return") != CHECK:
            return redirect(url_for("wizard.step", public_id=public_id, step_name=unfinished.name))
        if unfinished is not None:
            return redirect(url_for("wizard.step", public_id=public_id, step_name=unfinished.name, **{"return": CHECK}))
        return redirect(url_for("wizard.check_answers", public_id=public_id))
    return redirect(url_for("wizard.step", public_id=public_id, step_name=path.next_after(step_name).name))


@bp.route("/drafts/<public_id>/type", methods=["GET", "POST"])
def change_type(public_id: str):
    profile = _draft(public_id)
    form = ProfileTypeForm(data={"profile_type": profile.profile_type} if request.method == "GET" else None)
    if form.validate_on_submit():
        drafts.change_type(profile, form.profile_type.data)
        return redirect(url_for("wizard.resume", public_id=public_id))
    return render_template("wizard/change_type.html", profile=profile, form=form), 400 if form.errors else 200


def _self_check(profile: Profile, path: engine.Path):
    if profile.profile_type != "cluster_organisation" or "management" not in path.names():
        return None
    return rules.evaluate(engine.cleaned(path, profile.answers or {}), profile.criteria_waived)


@bp.route("/drafts/<public_id>/check-answers", methods=["GET", "POST"])
def check_answers(public_id: str):
    profile = _draft(public_id)
    path = drafts.path_for(profile)
    form = SubmitForm(data={"version": profile.version} if request.method == "GET" else None)
    form.set_declaration(profile.profile_type)
    status = 200
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in", next=url_for("wizard.check_answers", public_id=public_id)))
        if form.validate_on_submit():
            try:
                version = int(form.version.data or 0)
                submit_draft(profile, current_user, version)
            except ValueError:
                abort(400)
            except SubmissionRefused as refusal:
                if refusal.step is not None:
                    flash(str(refusal), "error")
                    return redirect(url_for("wizard.step", public_id=public_id, step_name=refusal.step.name,
                                            errors=1, **{"return": CHECK}))
                form.form_errors.append(str(refusal))
                status = 400
            else:
                return redirect(url_for("wizard.submitted", public_id=public_id))
        else:
            status = 400
    unfinished = engine.first_unfinished(path, profile.answers or {})
    return render_template(
        "wizard/check_answers.html", profile=profile, sections=sections(path, profile.answers or {}),
        form=form, unfinished=unfinished, self_check=_self_check(profile, path), Outcome=rules.Outcome,
    ), status


@bp.route("/drafts/<public_id>/submitted")
def submitted(public_id: str):
    profile = _draft(public_id, editable=False)
    return render_template("wizard/submitted.html", profile=profile)


@bp.route("/drafts/<public_id>/save-for-later", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def save_for_later(public_id: str):
    profile = _draft(public_id)
    form = ResumeEmailForm(data={"email": current_user.email} if current_user.is_authenticated else None)
    if form.validate_on_submit():
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
    profile = db.session.get(Profile, link.subject_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        if profile.owner_id is not None:
            # An account's draft opens for that account only: the link is a reminder, not a key.
            return redirect(url_for("auth.sign_in", next=url_for("wizard.resume", public_id=profile.public_id)))
        if not consume_token(link):
            return render_template("auth/link_problem.html", reason="used", kind="resume"), 404
        session[ANON_KEY] = drafts.hand_over_to_session(profile)
        return redirect(url_for("wizard.resume", public_id=profile.public_id))
    return render_template("wizard/resume.html", profile=profile, form=form)


@bp.route("/my-profiles")
@login_required
def my_profiles():
    return render_template("wizard/my_profiles.html", profiles=drafts.drafts_of(current_user))
