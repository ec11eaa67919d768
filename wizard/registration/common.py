"""What every wizard view shares: the blueprint, who is asking, and the draft they may edit."""
from flask import Blueprint, abort, flash, g, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.routing import BaseConverter

from wizard import engine
from wizard.auth.helpers import ANON_KEY
from wizard.models import Profile
from wizard.services import drafts
from wizard.steps import profile_type

bp = Blueprint("wizard", __name__)


class StepNameConverter(BaseConverter):
    """Step names are Python identifiers ("member_list"); their addresses are kebab-case ("member-list").

    The old underscore addresses, in bookmarks and earlier e-mails, still open the step."""

    regex = r"[a-z0-9_-]{1,60}"

    def to_python(self, value: str) -> str:
        return value.replace("-", "_")

    def to_url(self, value: str) -> str:
        return value.replace("_", "-")

#: The query argument a change link from "Check your answers" carries, so saving returns there.
RETURN = "return"
CHECK = "check"


def current_applicant():
    return current_user if current_user.is_authenticated else None


def anon_key(create: bool = False) -> str | None:
    """The random key by which this browser's session owns its anonymous drafts."""
    if create and not session.get(ANON_KEY):
        session[ANON_KEY] = drafts.new_anon_key()
    return session.get(ANON_KEY)


def visit(profile: Profile, step: engine.Step, form) -> engine.Visit:
    """What the step's hooks may read of this request."""
    user = current_user if current_user.is_authenticated else None
    return engine.Visit(profile, step, form, request.args, request.form, user)


def read_posted_step(profile: Profile, step: engine.Step):
    """(form, answers to store, valid) for a post of `step`: the one reading of a step's post, for its own
    buttons and for those that stay on the page (the pickers' Add and Remove, "Remove file").

    CSRFProtect has checked the post's token before the view ran (and refused it otherwise): the form
    need not check the same token a second time. Files are stored here, valid or not, so an upload
    survives errors on other fields."""
    form = step.form(meta={"csrf": False}, **step.form_kwargs)
    valid = form.validate()
    posted = engine.from_formdata(request.form, form)
    if step.handle_files is not None:
        posted.update(step.run("handle_files", visit(profile, step, form)))
        valid = valid and not any(f.errors for f in form)
    return form, posted, valid


def load_draft(public_id: str, editable: bool = True, countries: drafts.CountryStatus | None = None,
               sign_in_first: bool = False) -> Profile:
    """The draft for the person asking, or 404 (someone else's draft does not exist for them).

    With `sign_in_first` (the address e-mails link to), a signed-out visitor who cannot open it is sent
    to sign in instead, and comes back here."""
    profile = drafts.find_draft(public_id, current_applicant(), anon_key(), countries)
    if profile is None and sign_in_first and current_applicant() is None:
        # The e-mailed "changes requested" link opened while signed out: the draft may be an account's.
        # Said for any id, real or not, so it tells nobody whether a draft exists.
        flash("Sign in to open this profile. A draft started without an account opens only in the browser it "
              "was started in, or from the link of its \"save and come back later\" e-mail.", "info")
        abort(redirect(url_for("auth.sign_in", next=request.path)))
    declared = profile_type(profile.profile_type) if profile is not None else None
    if declared is None:
        abort(404)
    if editable and not profile.is_editable:
        flash("This profile has been submitted, so it can no longer be changed here.", "info")
        abort(redirect(url_for("wizard.submitted", public_id=public_id)))
    g.profile_type = declared
    return profile
