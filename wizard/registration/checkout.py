"""Check your answers, submit, the confirmation, and the applicant's list of profiles."""
from dataclasses import replace

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from wizard import engine
from wizard.forms.submission import SubmitForm
from wizard.models import Profile
from wizard.registration.common import CHECK, RETURN, bp, load_draft
from wizard.services import decisions, drafts
from wizard.services.submission import SubmissionRefused, submit_draft
from wizard.summary import sections


@bp.route("/drafts/<public_id>/check-answers", methods=["GET", "POST"])
def check_answers(public_id: str):
    profile = load_draft(public_id)
    form = SubmitForm(data={"version": profile.version} if request.method == "GET" else None)
    form.set_declaration(g.profile_type)
    status = 200
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in", next=url_for("wizard.check_answers", public_id=public_id)))
        if form.validate_on_submit():
            response = _submit(profile, form)
            if response is not None:
                return response
        status = 400
    path = drafts.path_for(profile)
    answers = profile.answers or {}
    # Each step's form bound once for both readings of the draft: binding them twice was a third of the page.
    forms = engine.bind_path(path, answers)
    shown = [replace(section, change_url=url_for("wizard.step", public_id=public_id, step_name=section.step.name,
                                                  **{RETURN: CHECK}))
             for section in sections(path, answers, bound=forms)]
    return render_template(
        "wizard/check_answers.html", profile=profile, sections=shown, form=form,
        unfinished=engine.first_unfinished(path, answers), self_check=drafts.self_check(profile, path, forms),
        changes_requested=decisions.changes_requested_reason(profile),
    ), status


def _submit(profile: Profile, form: SubmitForm):
    """A redirect when the submission is made (or was made by an earlier click); None with the form's errors set."""
    try:
        submit_draft(profile, current_user, int(form.version.data))
    except SubmissionRefused as refusal:
        if refusal.step is not None:
            flash(str(refusal), "error")
            return redirect(url_for("wizard.step", public_id=profile.public_id, step_name=refusal.step.name,
                                    errors=1, **{RETURN: CHECK}))
        form.form_errors.append(str(refusal))
        # The page shows the answers as they are now: submitting again submits what was shown.
        form.version.data = str(profile.version)
        return None
    return redirect(url_for("wizard.submitted", public_id=profile.public_id), code=303)


@bp.route("/drafts/<public_id>/submitted")
def submitted(public_id: str):
    profile = load_draft(public_id, editable=False)
    return render_template("wizard/submitted.html", profile=profile)


@bp.route("/my-profiles")
@login_required
def my_profiles():
    return render_template("wizard/my_profiles.html", profiles=drafts.drafts_of(current_user))
