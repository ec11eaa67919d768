"""What every wizard view shares: the blueprint, who is asking, and the draft they may edit."""
from flask import Blueprint, abort, flash, g, redirect, session, url_for
from flask_login import current_user

from wizard.auth.helpers import ANON_KEY
from wizard.models import Profile
from wizard.services import drafts
from wizard.steps import STEPS_BY_TYPE
from wizard.taxonomies import PROFILE_TYPES_BY_KEY, ProfileTypeInfo

bp = Blueprint("wizard", __name__)

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


def type_info(profile_type: str) -> ProfileTypeInfo:
    return PROFILE_TYPES_BY_KEY.get(profile_type) or ProfileTypeInfo(profile_type, profile_type, "")


def load_draft(public_id: str, editable: bool = True, countries: drafts.CountryStatus | None = None) -> Profile:
    """The draft for the person asking, or 404 (someone else's draft does not exist for them)."""
    profile = drafts.find_draft(public_id, current_applicant(), anon_key(), countries)
    if profile is None or profile.profile_type not in STEPS_BY_TYPE:
        abort(404)
    if editable and not profile.is_editable:
        flash("This profile has been submitted, so it can no longer be changed here.", "info")
        abort(redirect(url_for("wizard.submitted", public_id=public_id)))
    g.profile_type = type_info(profile.profile_type)
    return profile
