"""The words a profile is found by in the cluster-organisation picker (table profile_search_terms).

Words of its normalised name and acronym, its website's domain and the words of that domain. They
follow the profile: whatever sets those columns calls `follow` (or, for a step's save, a Core UPDATE in
wizard/services/drafts.py, `rewrite`) in its own transaction.
"""
import re
from collections.abc import Iterable

from sqlalchemy import delete, insert

from wizard.extensions import db
from wizard.matching import normalise_name
from wizard.models import Profile
from wizard.models.affiliations import ProfileSearchTerm

MAX_TERM = 100
_DOMAIN_WORDS = re.compile(r"[.\-]")


def terms_for(name: str, acronym: str, website_domain: str | None) -> set[str]:
    terms = set(normalise_name(name).split())
    acronym_words = normalise_name(acronym).split()
    terms.update(acronym_words)
    if len(acronym_words) > 1:
        terms.add("".join(acronym_words))  # "S.I.S." is found by "sis" too
    if website_domain:
        terms.add(website_domain)
        terms.update(word for word in _DOMAIN_WORDS.split(website_domain)[:-1] if word)
    return {term[:MAX_TERM] for term in terms if term}


def rewrite(connection, profiles: Iterable[tuple[int, str, str, str | None]]) -> None:
    """Replaces the terms of these (id, name, acronym, website domain) profiles, in the caller's transaction."""
    profiles = list(profiles)
    if not profiles:
        return
    connection.execute(delete(ProfileSearchTerm).where(ProfileSearchTerm.profile_id.in_([p[0] for p in profiles])))
    rows = [{"term": term, "profile_id": profile_id} for profile_id, name, acronym, domain in profiles
            for term in terms_for(name or "", acronym or "", domain)]
    if rows:
        connection.execute(insert(ProfileSearchTerm), rows)


def follow(*profiles: Profile) -> None:
    """The words of these profiles follow their name, acronym and website domain as they are now."""
    db.session.flush()
    rewrite(db.session.connection(), [(p.id, p.name, p.acronym, p.website_domain) for p in profiles])
