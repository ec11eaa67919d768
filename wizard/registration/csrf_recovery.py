"""A wizard page posted with an expired or missing CSRF token comes back with what was typed.

Flask-WTF's token normally lives as long as the session (WTF_CSRF_TIME_LIMIT = None), but a
session can still end (browser restarted, sign-out in another tab). Losing a page of answers to
that would be our fault, not the applicant's: the step is shown again, filled with the posted
values and a fresh token, and nothing is saved until it is sent again.

The same re-rendering serves the "database busy" page (wizard/errors.py): a step posted while SQLite's
write lock outlasted the busy timeout comes back as a 503 with what was typed (reliability.md CC-5, F13).
"""
from flask import g, request

from wizard import engine
from wizard.registration import common, views
from wizard.services import drafts
from wizard.steps import profile_type

CSRF_MESSAGE = ("This page had been open for a long time, so your answers were not saved yet. "
                "Check them below and save again.")


def rerender_step_after_csrf_failure():
    return rerender_step_with_posted_values(CSRF_MESSAGE, 400)


def rerender_step_with_posted_values(message: str, status: int):
    """The step re-rendered from the posted form with `message` on top, or None when this request is not
    a wizard step the visitor may edit. Nothing is saved: the visitor sends the page again."""
    if request.endpoint != "wizard.step" or request.method != "POST":
        return None
    args = request.view_args or {}
    profile = drafts.find_draft(args.get("public_id", ""), common.current_applicant(), common.anon_key())
    declared = profile_type(profile.profile_type) if profile is not None else None
    if declared is None or not profile.is_editable:
        return None
    path = drafts.path_for(profile)
    step = path.get(args.get("step_name", ""))
    if step is None:
        return None
    g.profile_type = declared
    form = step.form(formdata=request.form, meta={"csrf": False}, **step.form_kwargs)
    form.form_errors.append(message)
    # The page keeps the fingerprint it was first shown with: a change saved meanwhile is still caught.
    return views.render_step(profile, path, step, form, status, request.form.get(engine.SEEN_FIELD))
