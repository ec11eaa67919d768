""""Already listed": the applicant's organisation is in the member list of a cluster organisation it chose.

The member profile is for members that are not listed yet (domain.md §4). A match uses the rule of
wizard.matching.same_organisation: the same identifying website domain, or the same normalised
name. Both sides are stored pre-computed and indexed (Profile.website_domain / normalised_name,
ListedMember.website_domain / normalised_name), so the check is one indexed query.
"""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import or_, select

from wizard.clusters import choosable
from wizard.extensions import db
from wizard.models import ListedMember, Profile
from wizard.rate_limits import per_day, within
from wizard.services import audit
from wizard.services.administration import administrators
from wizard.services.mail_caps import queue_capped_email
from wizard.steps.answers import Stored


@dataclass(frozen=True)
class Listing:
    cluster: Profile
    entry: ListedMember


def chosen_cluster_ids(profile: Profile) -> list[str]:
    return Stored(profile.answers).chosen_clusters


def listing_matches(profile: Profile) -> list[Listing]:
    """The chosen cluster organisations whose member list already names this organisation (one each)."""
    chosen = chosen_cluster_ids(profile)
    same = []
    if profile.website_domain:
        same.append(ListedMember.website_domain == profile.website_domain)
    if profile.normalised_name:
        same.append(ListedMember.normalised_name == profile.normalised_name)
    if not chosen or not same:
        return []
    clusters = choosable(select(Profile), eu_cosme_only=True).where(Profile.public_id.in_(chosen)).subquery()
    rows = db.session.execute(
        select(Profile, ListedMember).join(clusters, clusters.c.id == Profile.id)
        .join(ListedMember, ListedMember.profile_id == Profile.id).where(or_(*same))
        .order_by(Profile.name, ListedMember.id))
    found: dict[int, Listing] = {}
    for cluster, entry in rows:
        found.setdefault(cluster.id, Listing(cluster, entry))
    return list(found.values())


class ContactRefused(Exception):
    """The request could not be sent; the message says why and what to do instead."""


def _contact_details(profile: Profile) -> dict[str, str]:
    reading = Stored(profile.answers)
    return {"contact_name": reading.contact_name, "contact_email": reading.contact_email}


def request_profile_completion(profile: Profile, cluster_public_id: str) -> Listing:
    """E-mails the cluster's profile administrators: "please complete the profile that lists us".

    Once per draft and cluster (a replayed click sends nothing twice) and at most a few a day per
    cluster organisation, so this button cannot be used to flood anyone (reliability.md RL-2).
    """
    listing = next((m for m in listing_matches(profile) if m.cluster.public_id == cluster_public_id), None)
    if listing is None:
        raise LookupError(cluster_public_id)
    admins = administrators(listing.cluster)
    if not admins:
        raise ContactRefused("This cluster organisation has no administrator on the platform yet. Please contact "
                             "it through its website.")
    prefix = f"complete:{listing.cluster.id}:"
    # The allowance counts e-mails, one per administrator, as the affiliation requests' does.
    if not within(per_day(current_app.config.get("CONTACT_CLUSTER_PER_DAY", 20)), "completion-mail-to-cluster",
                  listing.cluster.id, cost=len(admins)):
        raise ContactRefused("This cluster organisation has received many such requests today. Please try again "
                             "tomorrow, or contact it through its website.")
    for admin in admins:
        queue_capped_email(admin.email, "profile_completion_request",
                           dedupe_key=f"{prefix}{profile.id}:{admin.id}", cluster=listing.cluster, entry=listing.entry,
                           member=profile, **_contact_details(profile))
    audit.record("profile_completion_requested", "profile", profile.id, cluster=listing.cluster.id)
    db.session.commit()
    return listing
