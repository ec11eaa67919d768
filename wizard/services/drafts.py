"""Drafts: start one, find it for the person asking, save a step, change the type, follow the visitor.

A draft is a Profile row in status "draft" (or "changes requested"). Anonymous visitors own their
drafts through a random key in their session; only its hash is stored.
"""
import hashlib
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from wizard import engine, rules
from wizard.extensions import db
from wizard.links import email_link
from wizard.matching import identifying_domain, normalise_name
from wizard.models import Country, Profile, ProfileAdmin, User
from wizard.models.base import utcnow
from wizard.services import search_terms, visibility
from wizard.services.administration import administers
from wizard.services.mail_caps import queue_capped_email
from wizard.steps import profile_types
from wizard.steps.answers import Stored
from wizard.tokens import Purpose, issue_token


def anon_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_anon_key() -> str:
    return secrets.token_urlsafe(32)


class CountryStatus:
    """What a request needs to know of countries (listed at all? EU/COSME?), looked up once per country.

    Whether a country counts as EU/COSME is data administrators change, so nothing is kept beyond
    the request (or the operation) that made one of these. `find_draft` fills in the draft's own
    country from the query that loads the draft, which saves the country step a query per request.
    """

    def __init__(self) -> None:
        self._eu_cosme: dict[str, bool | None] = {}  # code -> eu_cosme; None: no such country

    def know(self, code: str, eu_cosme: bool | None) -> None:
        self._eu_cosme[code] = eu_cosme

    def _lookup(self, code: str) -> bool | None:
        if code not in self._eu_cosme:
            country = db.session.get(Country, code)
            self._eu_cosme[code] = None if country is None else bool(country.eu_cosme)
        return self._eu_cosme[code]

    def is_eu_cosme(self, code: str) -> bool:
        return bool(code) and bool(self._lookup(code))

    def exists(self, code: str) -> bool:
        return bool(code) and self._lookup(code) is not None


def eu_cosme_checker() -> Callable[[str], bool]:
    """One lookup per country per request, however often the predicates ask."""
    return CountryStatus().is_eu_cosme


def path_for(profile: Profile, countries: CountryStatus | None = None) -> engine.Path:
    return path_over(profile, profile.answers or {}, countries)


def path_over(profile: Profile, answers: engine.RawAnswers, countries: CountryStatus | None = None) -> engine.Path:
    """The path of a draft over the given answers (e.g. the ones just saved, without reading them back)."""
    return declared(profile).path(answers, (countries or CountryStatus()).is_eu_cosme)


def declared(profile: Profile) -> engine.ProfileType:
    """The profile's type declaration (a type no longer declared is refused where drafts are loaded)."""
    return profile_types()[profile.profile_type]


def start_draft(profile_type: str, user: User | None, anon_key: str | None) -> Profile:
    if profile_type not in profile_types():
        raise ValueError(profile_type)
    if user is None and not anon_key:
        raise ValueError("an anonymous draft needs the visitor's key")
    profile = Profile(profile_type=profile_type, answers={},
                      owner_id=user.id if user else None,
                      anon_key_hash=None if user else anon_key_hash(anon_key))
    db.session.add(profile)
    db.session.commit()
    return profile


def may_edit(profile: Profile, user: User | None, anon_key: str | None) -> bool:
    """The owner, a profile administrator, or the anonymous visitor whose session holds the key."""
    if administers(user, profile):
        return True
    return bool(anon_key) and profile.anon_key_hash is not None and profile.anon_key_hash == anon_key_hash(anon_key)


#: Built once: a statement built per request spends more on its cache key than the query takes on SQLite.
_DRAFT_WITH_COUNTRY = (
    select(Profile, Country.eu_cosme).outerjoin(Country, Country.code == Profile.country_code)
    .where(Profile.public_id == bindparam("public_id"))
)
_ANSWERS_LOCKED = (
    select(Profile.answers, Profile.version).where(Profile.id == bindparam("profile_id")).with_for_update()
)
_profiles = Profile.__table__
#: The columns a step's save writes: the answers, the version, and the columns derived from the answers.
_SAVED_COLUMNS = ("answers", "country_code", "name", "acronym", "website", "website_domain", "normalised_name",
                  "updated_at")
#: A step's save, as one compare-and-set UPDATE: it only goes through if the draft is still at the version
#: this request loaded. Core, not the ORM's flush: the flush's bookkeeping cost 28-31 % of a step POST's CPU
#: (2.51-2.59 against 3.48-3.74 ms, benchmarks/speedups.py at a84104f).
#: Neither the status nor the type changes here, so the visibility rule's stored copy (services/visibility.py)
#: cannot change either; the picker's search terms are rewritten by `save_step` itself.
_SAVE_IF_UNCHANGED = (
    update(_profiles)
    .where(_profiles.c.id == bindparam("profile_id"), _profiles.c.version == bindparam("seen_version"))
    .values(version=_profiles.c.version + 1,
            **{name: bindparam(f"new_{name}", type_=_profiles.c[name].type) for name in _SAVED_COLUMNS})
)


def find_draft(public_id: str, user: User | None, anon_key: str | None,
               countries: CountryStatus | None = None) -> Profile | None:
    """The draft, if the person asking may edit it. With `countries`, the draft's country's status
    comes in the same query (the country step's path needs it on every request)."""
    row = db.session.execute(_DRAFT_WITH_COUNTRY, {"public_id": public_id}).first()
    if row is None or not may_edit(row[0], user, anon_key):
        return None
    profile, eu_cosme = row
    if countries is not None and profile.country_code and eu_cosme is not None:
        countries.know(profile.country_code, bool(eu_cosme))
    return profile


class StepChangedMeanwhile(Exception):
    """The step's saved answers changed after the page being posted was shown to the person posting
    it (in another window, or by another administrator of the profile). Saving would overwrite them
    unseen, so nothing was saved: `saved` holds them as they are now."""

    def __init__(self, saved: Mapping[str, Any] | None):
        super().__init__("the step was saved meanwhile")
        self.saved = saved


def _refuse_unseen_change(stored: engine.RawAnswers | None, step: engine.Step, posted: Mapping[str, list[str]],
                          seen: str | None) -> None:
    if seen is None:
        return  # a page without the field (another client): the last save wins
    saved = (stored or {}).get(step.name)
    if engine.fingerprint(saved) != seen and engine.posted_part(saved) != dict(posted):
        db.session.rollback()
        raise StepChangedMeanwhile(saved)


def save_step(profile: Profile, step: engine.Step, posted: Mapping[str, list[str]], valid: bool,
              countries: CountryStatus | None = None, seen: str | None = None) -> engine.RawAnswers:
    """Stores what was posted on a step, valid or not: nothing typed is ever thrown away.

    `seen` is the fingerprint of the step's answers the page was shown with (engine.SEEN_FIELD): when
    they have changed since, and the post would change them again, StepChangedMeanwhile is raised.
    Returns the draft's answers as stored, so the caller can work out the path without reading them back.
    """
    _refuse_unseen_change(profile.answers, step, posted, seen)
    seen_version = profile.version
    answers = _answers_with(profile.answers, step, posted, valid)
    values = _saved_values(profile, answers, countries)
    saved = db.session.connection().execute(
        _SAVE_IF_UNCHANGED, {"profile_id": profile.id, "seen_version": seen_version, **values}).rowcount
    if saved != 1:
        # Another tab saved another step of this draft since this request loaded it: that answer must
        # not be overwritten. Read the answers again, locked where the database can (on SQLite the
        # UPDATE above already holds the write lock), and save over those.
        stored, seen_version = db.session.execute(_ANSWERS_LOCKED, {"profile_id": profile.id}).one()
        _refuse_unseen_change(stored, step, posted, seen)
        answers = _answers_with(stored, step, posted, valid)
        values = _saved_values(profile, answers, countries)
        db.session.connection().execute(
            _SAVE_IF_UNCHANGED, {"profile_id": profile.id, "seen_version": seen_version, **values})
    found_by = (values["new_name"], values["new_acronym"], values["new_website_domain"])
    if found_by != (profile.name, profile.acronym, profile.website_domain):
        search_terms.rewrite(db.session.connection(), [(profile.id, *found_by)])
    _commit_keeping_loaded()
    # What is in memory is what was stored: reading the row back would cost another query per step saved.
    for name in _SAVED_COLUMNS:
        set_committed_value(profile, name, values[f"new_{name}"])
    set_committed_value(profile, "version", seen_version + 1)
    return answers


def _answers_with(stored: engine.RawAnswers | None, step: engine.Step, posted: Mapping[str, list[str]],
                  valid: bool) -> dict[str, Any]:
    return {**(stored or {}), step.name: {**posted, engine.VALID_FLAG: valid}}


def _saved_values(profile: Profile, answers: engine.RawAnswers, countries: CountryStatus | None) -> dict[str, Any]:
    columns = derived_columns(answers, profile.website, profile.website_domain, countries)
    return {f"new_{name}": value for name, value in
            {**columns, "answers": answers, "updated_at": utcnow()}.items()}


def _commit_keeping_loaded() -> None:
    """Commits without expiring what the session holds (the caller sets what it changed)."""
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def derived_columns(answers: engine.RawAnswers, website: str, website_domain: str | None,
                    countries: CountryStatus | None = None) -> dict[str, Any]:
    """The answers the directory and duplicate checks search on, as the values of their indexed columns.

    `website` and `website_domain` are the stored ones: the domain follows from the address alone, so it
    is only worked out again when the address changes."""
    reading = Stored(answers)
    country = reading.country
    name = reading.name[:300]
    new_website = reading.website[:500]
    if new_website != website or website_domain is None:
        website_domain = identifying_domain(new_website) if new_website else None
    return {"country_code": country if (countries or CountryStatus()).exists(country) else None,
            "name": name, "acronym": reading.acronym[:60],
            "website": new_website, "website_domain": website_domain,
            "normalised_name": normalise_name(name)[:300]}


def sync_profile_columns(profile: Profile, countries: CountryStatus | None = None) -> None:
    """Copies the answers the directory and duplicate checks search on into indexed columns, and the picker's
    search words with them (in the caller's transaction; the profile joins the session)."""
    columns = derived_columns(profile.answers or {}, profile.website, profile.website_domain, countries)
    for name, value in columns.items():
        setattr(profile, name, value)
    db.session.add(profile)
    search_terms.follow(profile)


def change_type(profile: Profile, new_type: str) -> None:
    """The answers stay: steps shared by both types keep them, the others are ignored while they do not apply."""
    if new_type not in profile_types():
        raise ValueError(new_type)
    if new_type != profile.profile_type:
        profile.profile_type = new_type
        profile.version += 1
        visibility.follow(profile.id)
        db.session.commit()


def adopt_anonymous_drafts(user: User, anon_key: str | None) -> int:
    """Gives the visitor's drafts to the account they signed in to or created; returns how many."""
    if not anon_key:
        return 0
    result = db.session.execute(
        update(Profile)
        .where(Profile.anon_key_hash == anon_key_hash(anon_key), Profile.owner_id.is_(None))
        .values(owner_id=user.id, anon_key_hash=None)
    )
    db.session.commit()
    return result.rowcount


def latest_anonymous_draft(anon_key: str | None) -> Profile | None:
    """The draft this visitor changed last while signed out: where they return after creating an account."""
    if not anon_key:
        return None
    return db.session.scalar(select(Profile).where(Profile.anon_key_hash == anon_key_hash(anon_key),
                                                   Profile.owner_id.is_(None))
                             .order_by(Profile.updated_at.desc(), Profile.id.desc()).limit(1))


def resume_link(profile: Profile) -> str:
    token = issue_token(Purpose.RESUME_DRAFT, profile.id, current_app.config["RESUME_DRAFT_MAX_AGE"])
    return email_link("wizard.resume_from_link", token=token)


def send_resume_link(profile: Profile, email: str) -> None:
    """Any visitor may ask for it to any address, so it is capped per recipient (the page says the same)."""

    days = max(1, current_app.config["RESUME_DRAFT_MAX_AGE"] // 86400)
    queue_capped_email(email, "resume_draft", profile=profile, link=resume_link(profile), days=days)
    db.session.commit()


def hand_over(profile: Profile, user: User | None, session_key: str | None) -> str | None:
    """Resuming an anonymous draft from its e-mailed link, in this browser.

    A signed-in visitor gets the draft on their account. Otherwise the draft joins the drafts this
    browser already holds (its key is reused, so those stay reachable), or gets a new key. Returns
    the key the session must hold (None for an account's draft).
    """
    if user is not None:
        profile.owner_id, profile.anon_key_hash = user.id, None
        db.session.commit()
        return session_key
    key = session_key or new_anon_key()
    profile.anon_key_hash = anon_key_hash(key)
    db.session.commit()
    return key


def drafts_of(user: User) -> list[Profile]:
    admin_of = select(ProfileAdmin.profile_id).where(ProfileAdmin.user_id == user.id)
    return list(db.session.scalars(
        select(Profile).where((Profile.owner_id == user.id) | Profile.id.in_(admin_of))
        .order_by(Profile.updated_at.desc(), Profile.id.desc())
    ))



def self_check(profile: Profile, path: engine.Path | None = None,
               forms: Mapping[str, Any] | None = None) -> list[rules.CriterionResult] | None:
    """The criteria as the applicant's answers meet them, or None where the criteria do not apply.
    `forms`: the steps' forms as engine.bind_path bound them, when the caller has them already."""
    path = path or path_for(profile)
    answers = profile.answers or {}
    if not declared(profile).criteria_apply_to(path, answers):
        return None
    return rules.evaluate(engine.cleaned(path, answers, forms), profile.criteria_waived)
