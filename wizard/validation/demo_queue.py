"""Submissions for the validators' demo queue: `flask validation demo-queue`, after `flask demo-data`.

Each one goes through the real submission (the wizard's forms revalidate it, validators are told
by e-mail), then its date is moved back so the queue shows different ages. They cover what a
validator meets: criteria met, a cluster that asks for the waiver, criteria not met, a cluster
outside the EU/COSME countries, and a likely duplicate of a published profile.
"""
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select, update

from wizard import engine
from wizard.demo import CLUSTERS, DEMO_PASSWORD, DemoCluster, demo_answers
from wizard.extensions import db
from wizard.models import Profile, Role, Submission, User
from wizard.models.base import utcnow
from wizard.passwords import hash_password
from wizard.services.accounts import find_user_by_email
from wizard.services.drafts import sync_profile_columns
from wizard.services.submission import submit_draft

APPLICANT_EMAIL = "applicant@demo.eu"

WAITING = (
    (DemoCluster("FR", "Lyon Health Valley", "LHV", "lyon-health", "Lyon", "Auvergne-Rhône-Alpes",
                 ("health", "digital"), ("collaborative_rdi", "internationalisation", "training_skills")), 9, {}),
    (DemoCluster("EE", "Tallinn Digital Cluster", "TDC", "tallinn-digital", "Tallinn", "Harju",
                 ("digital",), ("networking_events", "startup_scaleup"), recognised_programme="Estonian Cluster "
                 "Development Programme"), 15, {"management": {"management_fte": ["0.3"]}}),
    (DemoCluster("PT", "Porto Tourism Network", "PTN", "porto-tourism", "Porto", "Norte", ("tourism",),
                 ("marketing_visibility",)), 3, {}),
    (replace(CLUSTERS[0], name="Bavarian Mobility Cluster e.V.", acronym="BMC e.V.", slug="bavarian-mobility-ev"),
     1, {"organisation": {"website": ["https://www.demo-bavarian-mobility.de/en"]}}),
)

ELSEWHERE = {
    "country": {"country": ["NO"]},
    "organisation": {"name": ["Oslo Ocean Tech Cluster"], "acronym": ["OOTC"], "website": ["https://www.demo-oslo-ocean.no"],
                     "address": ["1 Demo Street"], "city": ["Oslo"], "region": ["Oslo"], "year_established": ["2015"],
                     "description": ["Ocean technology companies around the Oslofjord (demo data)."]},
    "contact": {"contact_name": ["Demo Contact"], "contact_role": ["Cluster manager"],
                "contact_email": ["contact@demo-oslo-ocean.no"], "contact_phone": [""]},
    "cluster_profile": {"sectors": ["ict", "transport_logistics"], "approximate_members": ["45"],
                        "activities": ["networking_events", "matchmaking"],
                        "cooperation_interest": ["Partners for maritime autonomy projects in the EU."]},
    "logo": {},
}


def _applicant() -> User:
    user = find_user_by_email(APPLICANT_EMAIL)
    if user is None:
        user = User(email=APPLICANT_EMAIL, password_hash=hash_password(DEMO_PASSWORD), full_name="Demo Applicant",
                    role=Role.APPLICANT.value, email_verified_at=utcnow())
        db.session.add(user)
        db.session.commit()
    return user


def _submit(applicant: User, answers: dict, days_ago: int) -> Profile | None:
    """Submits one profile unless its website is already there; None when it was."""
    website = answers["organisation"]["website"][0]
    if db.session.scalar(select(Profile.id).where(Profile.website == website)) is not None:
        return None
    stored = {step: {**fields, engine.VALID_FLAG: True} for step, fields in answers.items()}
    profile = Profile(profile_type="cluster_organisation", answers=stored, owner_id=applicant.id)
    db.session.add(profile)
    sync_profile_columns(profile)
    db.session.commit()
    submit_draft(profile, applicant, profile.version)
    moment = utcnow() - timedelta(days=days_ago)
    db.session.execute(update(Profile).where(Profile.id == profile.id).values(submitted_at=moment))
    db.session.execute(update(Submission).where(Submission.profile_id == profile.id).values(submitted_at=moment))
    db.session.commit()
    return profile


def create_demo_queue() -> list[str]:
    applicant = _applicant()
    lines = [f"Submissions waiting for validation (applicant {APPLICANT_EMAIL}, password {DEMO_PASSWORD!r}):"]
    entries = [({step: dict(fields) for step, fields in demo_answers(cluster).items()}, days, changes)
               for cluster, days, changes in WAITING]
    entries.append((ELSEWHERE, 6, {}))
    for answers, days, changes in entries:
        for step, fields in changes.items():
            answers[step] = {**answers[step], **fields}
        profile = _submit(applicant, answers, days)
        name = answers["organisation"]["name"][0]
        when = f"submitted {days} day{'s' if days != 1 else ''} ago" if profile else "(already there)"
        lines.append(f"  {name:<34} {when}")
    return lines
