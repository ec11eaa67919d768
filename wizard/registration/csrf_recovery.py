"""A wizard page posted with an expired or missing CSRF token comes back with what was typed.

Flask-WTF's token normally lives as long as the session (WTF_CSRF_TIME_LIMIT = None), but a
session can still end (browser restarted, sign-out in another tab). Losing a page of answers to
that would be our fault, not the applicant's: the step is shown again, filled with the posted
values and a fresh token, and nothing is saved until it is sent again.
"""
from flask import g, request

from wizard.registration import common, views
from wizard.services import drafts


def rerender_step_after_csrf_failure():
    """The re-rendered step, or None when this request is not a wizard step the visitor may edit."""
    if request.endpoint != "wizard.step" or request.method != "POST":
        return None
    args = request.view_args or {}
    profile = drafts.find_draft(args.get("public_id", ""), common.current_applicant(), common.anon_key())
    if profile is None or not profile.is_editable or profile.profile_type not in drafts.STEPS_BY_TYPE:
        return None
    path = drafts.path_for(profile)
    step = path.get(args.get("step_name", ""))
    if step is None:
        return None
    g.profile_type = common.type_info(profile.profile_type)
    form = step.form(formdata=request.form, meta={"csrf": False}, **step.form_kwargs)
    form.form_errors.append("This page had been open for a long time, so your answers were not saved yet. "
                            "Check them below and save again.")
    return views.render_step(profile, path, step, form, 400)
