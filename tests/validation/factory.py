"""Profiles in every state for the validation, directory and account tests, made the way the app makes them.

`submitted_profile` goes through the real submission service; `bulk_submitted` writes the same rows
directly, for tests that need hundreds of profiles quickly.
"""
import copy
from datetime import timedelta

from tests.wizard.answers import CLUSTER_ELSEWHERE, CLUSTER_EU, COMMON
from wizard.extensions import db
from wizard.matching import identifying_domain, normalise_name
from wizard.models import Affiliation, Profile, ProfileAdmin, Submission, Upload, User
from wizard.models.base import utcnow
from wizard.services import decisions, search_terms, visibility
from wizard.services.drafts import sync_profile_columns
from wizard.services.submission import submit_draft

MEMBER = {**COMMON, "member_organisation": {"organisation_type": "startup_sme", "sectors": ["ict"]}}
ANSWERS_BY_TYPE = {"cluster_organisation": CLUSTER_EU, "cluster_member": MEMBER}
RECOGNISED = {"recognised_programme": "yes", "programme_name": "go-cluster", "social_economy": "no",
              "programme_evidence": "https://www.clusterplattform.de/go-cluster"}


def answers_with(base: dict | None = None, **changes: dict) -> dict:
    """A copy of `base` (typed answers) with whole steps or single fields changed: organisation={"name": ...}."""
    answers = copy.deepcopy(base or CLUSTER_EU)
    for step, fields in changes.items():
        answers[step] = {**answers.get(step, {}), **fields}
    return answers


def raw(answers: dict) -> dict:
    """Typed answers as the wizard stores them: lists of posted strings, and each step marked valid."""
    return {step: {**{k: v if isinstance(v, list) else [v] for k, v in fields.items()}, "_valid": True}
            for step, fields in answers.items()}


def draft(owner: User | None, answers: dict | None = None, profile_type: str = "cluster_organisation") -> Profile:
    profile = Profile(profile_type=profile_type, answers=raw(answers or ANSWERS_BY_TYPE[profile_type]),
                      owner_id=owner.id if owner else None)
    db.session.add(profile)
    sync_profile_columns(profile)
    db.session.commit()
    return profile


def submitted_profile(owner: User, answers: dict | None = None, profile_type: str = "cluster_organisation") -> Profile:
    profile = draft(owner, answers, profile_type)
    submit_draft(profile, owner, profile.version)
    db.session.refresh(profile)
    return profile


def published_profile(owner: User, validator: User, answers: dict | None = None,
                      profile_type: str = "cluster_organisation") -> Profile:
    profile = submitted_profile(owner, answers, profile_type)
    decisions.decide(profile, decisions.Decision.PUBLISH, validator, profile.version)
    db.session.refresh(profile)
    return profile


def organisation(name: str, website: str, country: str = "DE", base: dict | None = None) -> dict:
    return answers_with(base, organisation={"name": name, "website": website, "acronym": ""},
                        country={"country": country})


def member_profile(owner: User, name: str = "Member Company", website: str = "https://member.example.eu",
                   status: str = "published", country: str = "FR") -> Profile:
    """A member profile written as rows (its cluster step is the members module's; tests add affiliations)."""
    answers = raw(answers_with(MEMBER, organisation={"name": name, "website": website, "acronym": ""},
                               country={"country": country}))
    answers["clusters"] = {"clusters": [], "not_listed": ["y"], "_valid": True}
    profile = Profile(profile_type="cluster_member", status=status, answers=answers, owner_id=owner.id,
                      submitted_at=utcnow(), published_at=utcnow() if status == "published" else None)
    db.session.add(profile)
    sync_profile_columns(profile)
    db.session.flush()
    db.session.add(Submission(profile_id=profile.id, version=profile.version, answers=answers,
                              submitted_by_id=owner.id))
    db.session.add(ProfileAdmin(profile_id=profile.id, user_id=owner.id))
    visibility.follow(profile.id)
    search_terms.follow(profile)
    db.session.commit()
    return profile


def affiliate(member: Profile, cluster: Profile | None, status: str = "approved", manual_name: str = "",
              decided_by: User | None = None) -> Affiliation:
    """An affiliation row as the members module records it (manual when `cluster` is None)."""
    affiliation = Affiliation(member_profile_id=member.id, cluster_profile_id=cluster.id if cluster else None,
                              manual_name=manual_name,
                              manual_website="https://manual.example.eu" if manual_name else "",
                              manual_country_code="DE" if manual_name else None, status=status,
                              decided_at=utcnow() if status != "pending" else None,
                              decided_by_id=decided_by.id if decided_by else None)
    db.session.add(affiliation)
    visibility.follow(member.id)
    db.session.commit()
    return affiliation


def bulk_submitted(owner: User, count: int, *, start: int = 0, profile_type: str = "cluster_organisation",
                   country: str = "DE", status: str = "submitted", days_ago: int = 1) -> list[Profile]:
    """`count` submitted profiles written directly (no forms, no e-mails): for paging and query counts."""
    frozen = raw(CLUSTER_EU if profile_type == "cluster_organisation" else CLUSTER_ELSEWHERE)
    now = utcnow()
    profiles = []
    for n in range(start, start + count):
        name = f"Bulk cluster {n:04d}"
        answers = copy.deepcopy(frozen)
        answers["organisation"]["name"] = [name]
        answers["organisation"]["website"] = [f"https://bulk{n}.example.eu"]
        answers["country"]["country"] = [country]
        profile = Profile(profile_type=profile_type, status=status, answers=answers, owner_id=owner.id, name=name,
                          normalised_name=normalise_name(name), country_code=country,
                          website=f"https://bulk{n}.example.eu",
                          website_domain=identifying_domain(f"bulk{n}.example.eu"),
                          submitted_at=now - timedelta(days=days_ago, minutes=n), version=5,
                          published_at=now if status == "published" else None)
        db.session.add(profile)
        profiles.append(profile)
    db.session.flush()
    for profile in profiles:
        db.session.add(Submission(profile_id=profile.id, version=5, answers=profile.answers, submitted_by_id=owner.id))
        db.session.add(ProfileAdmin(profile_id=profile.id, user_id=owner.id))
    visibility.follow(*(profile.id for profile in profiles))
    search_terms.follow(*profiles)
    db.session.commit()
    return profiles


def png_bytes(colour: str = "red") -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def stored_upload(app, profile: Profile, user: User | None, name: str = "proof.png", purpose: str = "proof") -> Upload:
    """A real file, checked and stored by the upload module, with its row."""
    import io

    from wizard import uploads

    clean = uploads.inspect_upload(io.BytesIO(png_bytes()), name, uploads.PROOF_KINDS, 10 * 1024 * 1024)
    storage_name = uploads.store(app.config["UPLOAD_FOLDER"], clean)
    upload = Upload(storage_name=storage_name, original_name=clean.original_name, content_type=clean.content_type,
                    size=clean.size, sha256=clean.sha256, purpose=purpose, profile_id=profile.id,
                    uploaded_by_id=user.id if user else None)
    db.session.add(upload)
    db.session.commit()
    return upload
