"""Demo data for a newcomer's first run: staff accounts and published cluster organisations.

`flask demo-data` calls create_demo_data(). Running it again adds nothing: accounts are found by
e-mail address and profiles by website. The answers are built in the stored format (what the
wizard saves: field -> list of typed strings) and checked with the wizard's own forms
(engine.revalidate), so a demo profile is exactly what a real applicant could have submitted.
"""
from dataclasses import dataclass

from sqlalchemy import select

from wizard import engine
from wizard.extensions import db
from wizard.models import Profile, ProfileAdmin, Role, Submission, User
from wizard.models.base import utcnow
from wizard.models.profiles import ProfileStatus
from wizard.passwords import hash_password, password_problem
from wizard.services import audit, visibility
from wizard.services.accounts import find_user_by_email
from wizard.services.drafts import eu_cosme_checker, sync_profile_columns
from wizard.services.submission import applicable_answers, refresh_search_rows
from wizard.steps import profile_type

DEMO_PASSWORD = "demo password 2026!"  # noqa: S105 - printed for a local demo, never used in production
VALIDATOR_EMAIL = "validator@demo.eu"
ADMIN_EMAIL = "admin@demo.eu"
MEMBERS_PER_CLUSTER = 20

_MEMBER_KINDS = ("Robotics", "Sensors", "Software", "Materials", "Logistics", "Energy Systems", "Bioscience",
                 "Photonics", "Design", "Analytics")


@dataclass(frozen=True)
class DemoCluster:
    country: str
    name: str
    acronym: str
    slug: str
    city: str
    region: str
    ecosystems: tuple[str, ...]
    activities: tuple[str, ...]
    recognised_programme: str = ""
    label: str = "none"


CLUSTERS = (
    DemoCluster("DE", "Bavarian Mobility Cluster", "BMC", "bavarian-mobility", "Munich", "Bavaria",
                ("mobility_transport_automotive", "digital"), ("networking_events", "matchmaking", "collaborative_rdi"),
                recognised_programme="go-cluster", label="gold"),
    DemoCluster("FR", "Cluster Aéro Occitanie", "CAO", "aero-occitanie", "Toulouse", "Occitanie",
                ("aerospace_defence",), ("internationalisation", "training_skills")),
    DemoCluster("ES", "Basque Energy Cluster Demo", "BECD", "basque-energy", "Bilbao", "Basque Country",
                ("energy_renewables", "energy_intensive"), ("green_transition", "access_to_finance", "matchmaking"),
                label="silver"),
    DemoCluster("IT", "Lombardy Agri-Food Network", "LAFN", "lombardy-agrifood", "Milan", "Lombardy",
                ("agri_food",), ("market_intelligence", "networking_events")),
    DemoCluster("PL", "Silesian Health Tech Cluster", "SHTC", "silesian-healthtech", "Katowice", "Silesia",
                ("health", "digital"), ("startup_scaleup", "shared_facilities")),
    DemoCluster("SE", "Nordic Textile Circle", "NTC", "nordic-textile", "Borås", "Västra Götaland",
                ("textiles", "proximity_social_economy"),
                ("green_transition", "marketing_visibility", "policy_advocacy")),
)


def _website(cluster: DemoCluster) -> str:
    return f"https://www.demo-{cluster.slug}.{cluster.country.lower()}"


def _member_rows(cluster: DemoCluster) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for n in range(MEMBERS_PER_CLUSTER):
        kind = _MEMBER_KINDS[n % len(_MEMBER_KINDS)]
        rows[f"member_list-{n}-member_name"] = [f"{cluster.city} {kind} {n + 1}"]
        rows[f"member_list-{n}-member_website"] = [f"https://www.demo-{cluster.slug}-member-{n + 1}.eu"]
    return rows


def demo_answers(cluster: DemoCluster) -> dict[str, dict]:
    """Every step of a cluster organisation in an EU/COSME country, answered as the wizard stores it."""
    recognised = bool(cluster.recognised_programme)
    answers = {
        "country": {"country": [cluster.country]},
        "organisation": {
            "name": [cluster.name], "acronym": [cluster.acronym], "website": [_website(cluster)],
            "address": ["1 Demo Street"], "city": [cluster.city], "region": [cluster.region],
            "year_established": ["2010"],
            "description": [f"{cluster.name} brings companies, researchers and public bodies of {cluster.region} "
                            "together (demo data)."],
        },
        "contact": {"contact_name": ["Demo Contact"], "contact_role": ["Cluster manager"],
                    "contact_email": [f"contact@demo-{cluster.slug}.eu"], "contact_phone": ["+32 2 123 45 67"],
                    "publish_contact": ["y"]},
        "management": {"management_fte": ["3.5"]},
        "members": {"count_startup_sme": ["10"], "count_large_company": ["4"], "count_university": ["3"],
                    "count_public_authority": ["2"], "count_business_support": ["1"], "total_members": ["20"]},
        "member_list": _member_rows(cluster),
        "focus": {"ecosystems": list(cluster.ecosystems), "technical_focus": ["Demo technical focus"]},
        "activities": {"activities": list(cluster.activities),
                       "activities_link": [f"{_website(cluster)}/services"]},
        "support_programmes": {
            "recognised_programme": ["yes" if recognised else "no"], "social_economy": ["no"],
            "programme_name": [cluster.recognised_programme],
            "programme_evidence": [f"{_website(cluster)}/recognition" if recognised else ""],
        },
        "excellence_label": {"label": [cluster.label],
                             "label_issuer": ["" if cluster.label == "none" else "ESCA"],
                             "label_valid_until": ["" if cluster.label == "none" else "2028-06-30"]},
        "logo": {},
    }
    return {step: {**fields, engine.VALID_FLAG: True} for step, fields in answers.items()}


def _account(email: str, role: Role, full_name: str) -> tuple[User, bool]:
    user = find_user_by_email(email)
    if user is not None:
        return user, False
    user = User(email=email, password_hash=hash_password(DEMO_PASSWORD), full_name=full_name, role=role.value,
                email_verified_at=utcnow())
    db.session.add(user)
    db.session.flush()
    return user, True


def _published_cluster(cluster: DemoCluster, administrator: User, validator: User) -> bool:
    """Creates one published cluster organisation; False when it already exists."""
    exists = db.session.scalar(select(Profile.id).where(Profile.website == _website(cluster)))
    if exists is not None:
        return False
    answers = demo_answers(cluster)
    path = profile_type("cluster_organisation").path(answers, eu_cosme_checker())
    failing = engine.revalidate(path, answers)
    if failing is not None:
        raise RuntimeError(f"demo answers of {cluster.name} fail on step {failing.name}")
    now = utcnow()
    profile = Profile(profile_type="cluster_organisation", status=ProfileStatus.PUBLISHED.value, answers=answers,
                      owner_id=administrator.id, submitted_at=now, published_at=now)
    sync_profile_columns(profile)
    db.session.add(profile)
    db.session.flush()
    db.session.add(ProfileAdmin(profile_id=profile.id, user_id=administrator.id))
    db.session.add(Submission(profile_id=profile.id, version=profile.version, answers=applicable_answers(profile, path),
                              submitted_by_id=administrator.id, submitted_at=now))
    refresh_search_rows(profile, engine.cleaned(path, answers))
    visibility.follow(profile.id)
    audit.record("published", "profile", profile.id, actor=validator, reason="demo data",
                 profile_version=profile.version)
    return True


def create_demo_data() -> list[str]:
    """Creates what is missing and returns the lines to print (the sign-ins a newcomer needs)."""
    if problem := password_problem(DEMO_PASSWORD):
        raise RuntimeError(f"the demo password breaks the password rules: {problem}")
    lines = [f"Demo accounts (password for every account created here: {DEMO_PASSWORD!r}):"]
    validator, created = _account(VALIDATOR_EMAIL, Role.VALIDATOR, "Demo Validator")
    lines.append(f"  validator      {VALIDATOR_EMAIL}{'' if created else '  (already there)'}")
    admin, created = _account(ADMIN_EMAIL, Role.ADMIN, "Demo Administrator")
    lines.append(f"  administrator  {ADMIN_EMAIL}{'' if created else '  (already there)'}")
    lines.append("Published cluster organisations and their profile administrators:")
    for cluster in CLUSTERS:
        email = f"{cluster.slug}@demo.eu"
        administrator, _ = _account(email, Role.APPLICANT, f"{cluster.name} administrator")
        created = _published_cluster(cluster, administrator, validator)
        lines.append(f"  {cluster.country}  {cluster.name:<32} {email}{'' if created else '  (already there)'}")
    db.session.commit()
    return lines
