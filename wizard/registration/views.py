"""The registration wizard's steps: thin views over the engine (wizard/engine.py) and the draft services.

Every post of a step is saved, valid or not, before anything else happens: "Previous step",
"Save and come back later", "Add another row" and a page full of errors all keep what was typed.
The other pages of the wizard live beside this module and register on the same blueprint.
"""
from flask import abort, redirect, render_template, request, url_for

from wizard import engine, summary
from wizard.database import read_without_transaction
from wizard.extensions import limiter
from wizard.forms.auth import ConfirmForm
from wizard.forms.fields import RowsField
from wizard.forms.submission import ProfileTypeForm
from wizard.models import Profile
from wizard.registration.common import (
    CHECK,
    RETURN,
    anon_key,
    bp,
    current_applicant,
    load_draft,
    read_posted_step,
    visit,
)
from wizard.services import decisions, drafts
from wizard.steps import profile_type as declared_type
from wizard.taxonomies import CRITERIA_TEXTS, WAIVER_TEXT

__all__ = ["bp"]

CHANGED_MEANWHILE = ("This step was saved again after you opened it, in another window or by another administrator "
                     "of this profile. What you typed is below and is not saved yet; the answers saved meanwhile "
                     "are listed above it. Save again to keep yours.")
#: A file sent with such a post went with it (uploads are kept only with the answers that refer to them).
FILES_NOT_KEPT = " A file you had chosen was not kept: choose it again."


@bp.route("/start/<profile_type>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def start(profile_type: str):
    declared = declared_type(profile_type)
    if declared is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        applicant = current_applicant()
        profile = drafts.start_draft(profile_type, applicant, None if applicant else anon_key(create=True))
        return redirect(_step_url(profile, drafts.path_for(profile).steps[0]))
    return render_template("wizard/start.html", info=declared, form=form,
                           criteria=CRITERIA_TEXTS, waiver_text=WAIVER_TEXT)


@bp.route("/drafts/<public_id>")
def resume(public_id: str):
    """Where the draft stands: its first unfinished step, or "Check your answers"."""
    profile = load_draft(public_id, sign_in_first=True)
    return redirect(_first_unfinished_url(profile, drafts.path_for(profile)))


def _returning() -> dict[str, str]:
    return {RETURN: CHECK} if request.args.get(RETURN) == CHECK else {}


def _step_url(profile: Profile, step: engine.Step, **extra) -> str:
    return url_for("wizard.step", public_id=profile.public_id, step_name=step.name, **extra)


def _first_unfinished_url(profile: Profile, path: engine.Path, after: str | None = None, **extra) -> str:
    unfinished = engine.first_unfinished(path, profile.answers or {}, after=after)
    if unfinished is None and after is not None:
        unfinished = engine.first_unfinished(path, profile.answers or {})
    if unfinished is None:
        return url_for("wizard.check_answers", public_id=profile.public_id)
    return _step_url(profile, unfinished, **extra)


def render_step(profile: Profile, path: engine.Path, step: engine.Step, form, status: int = 200,
                seen: str | None = None, saved_meanwhile: list | None = None):
    """`seen`: the fingerprint the page posts back (by default, of the step's answers as saved now)."""
    position, total = path.progress(step.name)
    if seen is None:
        seen = engine.fingerprint((profile.answers or {}).get(step.name))
    return render_template(
        step.template, profile=profile, step=step, form=form, position=position, total=total,
        progress_text=path.progress_text(step.name), previous=path.before(step.name), returning=bool(_returning()),
        seen_field=engine.SEEN_FIELD, seen=seen, saved_meanwhile=saved_meanwhile,
        changes_requested=decisions.changes_requested_reason(profile),
        **(step.run("context", visit(profile, step, form)) or {}),
    ), status


@bp.route("/drafts/<public_id>/<step:step_name>", methods=["GET", "POST"])
def step(public_id: str, step_name: str):
    if request.method == "GET":
        read_without_transaction()  # one query (the draft with its country) and a page
    countries = drafts.CountryStatus()  # the country's EU/COSME status, read once for the whole request
    profile = load_draft(public_id, countries=countries)
    path = drafts.path_for(profile, countries)
    current = path.get(step_name)
    if current is None:
        # A step that does not apply (any more) to this draft: go to where the draft stands.
        return redirect(url_for("wizard.resume", public_id=public_id))
    if request.method == "POST":
        return _save(profile, path, current, countries)
    stored = (profile.answers or {}).get(step_name)
    form = engine.bind(current, stored)
    if request.args.get("errors"):
        form.validate()  # sent back here by a refused submission: show what needs attention
    return render_step(profile, path, current, form)


def _save(profile: Profile, path: engine.Path, current: engine.Step, countries: drafts.CountryStatus):
    form, posted, valid = read_posted_step(profile, current)
    new_row = _add_row(form, posted) if request.form.get("add_row") else None
    try:
        answers = drafts.save_step(profile, current, posted, valid, countries, request.form.get(engine.SEEN_FIELD))
    except drafts.StepChangedMeanwhile as changed:
        # Nothing was saved; the page comes back with what was typed, beside what is saved now.
        form.form_errors.append(CHANGED_MEANWHILE + (FILES_NOT_KEPT if current.handle_files else ""))
        rows = summary.step_rows(current, changed.saved)
        return render_step(profile, path, current, form, 409, engine.fingerprint(changed.saved), rows)
    # The answer may have changed which steps apply after this one.
    path = drafts.path_over(profile, answers, countries)
    if new_row is not None:
        return redirect(_step_url(profile, current, **_returning()) + (f"#{new_row}" if new_row else ""))
    action = request.form.get("action", "continue")
    if action == "back":
        previous = path.before(current.name)
        return redirect(_step_url(profile, previous) if previous else
                        url_for("wizard.change_type", public_id=profile.public_id))
    if action == "save":
        return redirect(url_for("wizard.save_for_later", public_id=profile.public_id))
    if not valid:
        return render_step(profile, path, current, form, 400)
    if target := current.run("interrupt", visit(profile, current, form)):
        return redirect(target)
    following = path.next_after(current.name)
    if _returning() or following is None:
        return redirect(_first_unfinished_url(profile, path, **_returning()))
    return redirect(_step_url(profile, following))


def _add_row(form, posted: dict[str, list[str]]) -> str:
    """"Add another row" without JavaScript: one more (empty) row is stored, and the page comes back
    at that row. Returns the id of the new row's first input ("" when the list is full)."""
    rows = getattr(form, request.form["add_row"], None)
    if not isinstance(rows, RowsField) or rows.is_full():
        return ""
    entry = rows.append_entry()
    for sub in entry:
        posted.setdefault(sub.name, [""])
    return next(iter(entry)).id


@bp.route("/drafts/<public_id>/type", methods=["GET", "POST"])
def change_type(public_id: str):
    profile = load_draft(public_id)
    form = ProfileTypeForm(data={"profile_type": profile.profile_type} if request.method == "GET" else None)
    if form.validate_on_submit():
        drafts.change_type(profile, form.profile_type.data)
        return redirect(url_for("wizard.resume", public_id=public_id))
    return render_template("wizard/change_type.html", profile=profile, form=form), 400 if form.errors else 200


# The wizard's other pages register their routes on the same blueprint.
from wizard.registration import checkout, duplicates, later  # noqa: E402, F401
