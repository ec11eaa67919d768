"""Answers for generated profiles, in the stored format: {step: {field: [posted strings], "_valid": bool}}.

They are what a person would have posted on each step (tests/wizard/answers.py has the same
shape), varied with a seeded random generator. `check_samples` runs a few through the real step
forms, so a change to the forms shows up as "invalid answers" in the results, not as a silent skew.
"""
import random
from typing import Any

from wizard.countries import all_countries
from wizard.taxonomies import (
    CLUSTER_ACTIVITIES,
    EMERGING_INDUSTRIES,
    FUNDING_PROGRAMMES,
    GEOGRAPHIC_SCOPES,
    INDUSTRIAL_ECOSYSTEMS,
    MEMBER_TYPES,
    PUBLIC_MEMBER_TYPES,
    SECTORS,
    WORKS_WITH_ORG_TYPES,
)

REGIONS = ["Saxony", "Bavaria", "Flanders", "Wallonia", "Lombardy", "Catalonia", "Brittany", "Silesia", "Styria",
           "Upper Austria", "North Brabant", "Skåne", "Uusimaa", "Attica", "Piedmont", "Basque Country", "Norte",
           "Zealand", "Transylvania", "Moravia", "Dalmatia", "Lapland", "Munster", "Tyrol", "Andalusia"]
THEMES = ["Microelectronics", "Photonics", "Agri-food", "Automotive", "Aerospace", "Health", "Biotech", "Textile",
          "Maritime", "Wood", "Energy", "Hydrogen", "Tourism", "Creative", "Digital", "Plastics", "Logistics",
          "Mechatronics", "Water", "Space", "Furniture", "Wine", "Medtech", "Robotics", "Battery"]
KINDS = ["Cluster", "Innovation Cluster", "Network", "Alliance", "Competence Centre", "Valley", "Platform"]
COMPANY_WORDS = ["Tech", "Systems", "Solutions", "Labs", "Works", "Industries", "Partners", "Dynamics", "Foods",
                 "Materials", "Devices", "Robotics", "Energy", "Design", "Mobility", "Bio", "Data", "Logistics"]
COMPANY_FORMS = ["GmbH", "SA", "SRL", "BV", "Oy", "AB", "s.r.o.", "Ltd", "SpA", "AS", "Kft.", "d.o.o.", "University",
                 "Institute", "Agency"]
TLDS = ["eu", "de", "fr", "it", "es", "nl", "be", "at", "pl", "se", "fi", "pt", "cz", "com", "org"]


def posted(fields: dict[str, Any]) -> dict[str, Any]:
    """What `engine.from_formdata` stores for these fields (every value a list of strings), marked valid."""
    step = {key: [str(v) for v in value] if isinstance(value, list) else [str(value)] for key, value in fields.items()}
    step["_valid"] = True
    return step


def slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())[:40]


def cluster_identity(rng: random.Random, serial: int) -> tuple[str, str, str]:
    theme, region, kind = rng.choice(THEMES), rng.choice(REGIONS), rng.choice(KINDS)
    name = f"{theme} {kind} {region} {serial}"
    acronym = (theme[:3] + region[:2]).upper() + str(serial)
    return name, acronym, f"https://www.{slug(theme + region)}{serial}.{rng.choice(TLDS)}"


def company_identity(rng: random.Random, serial: int) -> tuple[str, str, str]:
    """(name, website, its identifying domain): the domain is built, not parsed (tested in `check_domains`)."""
    name = f"{rng.choice(THEMES)} {rng.choice(COMPANY_WORDS)} {serial} {rng.choice(COMPANY_FORMS)}"
    domain = f"{slug(name)}.{rng.choice(TLDS)}"
    return name, f"https://{domain}", domain


def check_domains(companies) -> None:
    from wizard.matching import identifying_domain

    for _name, website, domain in companies[:200]:
        assert identifying_domain(website) == domain, (website, domain)


def common(rng: random.Random, country: str, name: str, acronym: str, website: str) -> dict[str, dict]:
    first = rng.choice(["Anna", "Jan", "Marie", "Luca", "Eva", "Piotr", "Sofia", "Mikko", "Ines", "Tomas"])
    last = rng.choice(["Schmidt", "Janssens", "Rossi", "Nowak", "García", "Virtanen", "Dubois", "Novák", "Silva"])
    return {
        "country": posted({"country": country}),
        "organisation": posted({
            "name": name, "acronym": acronym, "website": website,
            "address": f"{rng.randint(1, 200)} Innovation Street", "city": rng.choice(REGIONS) + " City",
            "region": rng.choice(REGIONS), "year_established": rng.randint(1950, 2024),
            "description": f"{name} connects companies, research and public bodies around {rng.choice(THEMES)}.",
        }),
        "contact": posted({"contact_name": f"{first} {last}", "contact_role": "Cluster manager",
                           "contact_email": f"{slug(first)}.{slug(last)}@{website.split('//')[1].removeprefix('www.')}",
                           "contact_phone": f"+32 2 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"}),
        "logo": posted({}),
    }


def keys(rng: random.Random, vocabulary, low: int, high: int) -> list[str]:
    return rng.sample([key for key, _ in vocabulary], rng.randint(low, high))


def cluster_eu(rng: random.Random, base: dict, members: list[tuple]) -> dict[str, dict]:
    """Full EU/COSME cluster organisation; `members` are its listed (name, website, ...) rows."""
    counts = {key: 0 for key, _ in MEMBER_TYPES}
    total = len(members) + rng.randint(0, 40)
    public_body = rng.random() < 0.8
    for _ in range(total):
        counts[rng.choice([k for k in counts if public_body or k not in PUBLIC_MEMBER_TYPES])] += 1
    answers = {
        **base,
        "management": posted({"management_fte": f"{rng.randint(1, 40) / 4:.2f}"}),
        "members": posted({**{f"count_{key}": n for key, n in counts.items()}, "total_members": total}),
        "member_list": posted({field: value for i, (name, site, *_) in enumerate(members)
                               for field, value in ((f"member_list-{i}-member_name", name),
                                                    (f"member_list-{i}-member_website", site))}),
        "focus": posted({"ecosystems": keys(rng, INDUSTRIAL_ECOSYSTEMS, 1, 3),
                         "emerging_industries": keys(rng, EMERGING_INDUSTRIES, 0, 2),
                         "technical_focus": rng.choice(THEMES)}),
        "activities": posted({"activities": keys(rng, CLUSTER_ACTIVITIES, 2, 6),
                              "activities_link": base["organisation"]["website"][0] + "/services"}),
        "support_programmes": posted({"recognised_programme": "no", "social_economy": "no"}),
        "excellence_label": posted({"label": "none"}),
    }
    if not any(counts[key] for key in PUBLIC_MEMBER_TYPES):
        answers["public_collaboration"] = posted({"public_collaboration": "Funded by the regional cluster programme."})
    return answers


def cluster_elsewhere(rng: random.Random, base: dict) -> dict[str, dict]:
    return {**base, "cluster_profile": posted({
        "sectors": keys(rng, SECTORS, 1, 3), "approximate_members": rng.randint(10, 300),
        "activities": keys(rng, CLUSTER_ACTIVITIES, 1, 4), "cooperation_interest": "Partners in the EU."})}


def other_type(rng: random.Random, profile_type: str, base: dict) -> dict[str, dict]:
    """Steps of the other types as they stand today (the members' cluster step is not generated)."""
    if profile_type == "cluster_member":
        return {**base, "member_organisation": posted({"organisation_type": rng.choice(MEMBER_TYPES)[0],
                                                        "sectors": keys(rng, SECTORS, 1, 3)})}
    if profile_type == "association":
        return {**base, "association": posted({
            "geographic_scope": rng.choice(GEOGRAPHIC_SCOPES)[0], "activities": keys(rng, CLUSTER_ACTIVITIES, 1, 4)}),
            "member_clusters": posted({"not_listed": "y"}), "member_clusters_typed": posted({
                "member_clusters-0-cluster_name": "Partner Cluster", "member_clusters-0-cluster_website": "https://pc.eu"})}
    if profile_type == "partnership":
        return {**base, "partnership": posted({
            "funding_programme": rng.choice(FUNDING_PROGRAMMES)[0], "project_acronym": "EUROCL",
            "start_date": "2024-01-01", "end_date": "2027-06-30", "coordinator": "Lead Cluster",
            "objectives": "Joint internationalisation of cluster members."}),
            "partner_clusters": posted({"not_listed": "y"}), "partner_clusters_typed": posted({
                "partners-0-cluster_name": "Partner Cluster", "partners-0-cluster_website": "https://pc.eu"})}
    return {**base, "works_with": posted({
        "organisation_type": rng.choice(WORKS_WITH_ORG_TYPES)[0], "how_it_works": "Funds cluster programmes.",
        "active_countries": [code for code, _ in rng.sample(all_countries(), 3)]})}


def check_samples(samples: dict[str, dict], is_eu_cosme) -> dict[str, str]:
    """{profile type: "valid" or "invalid on <step>"} for one sample answer set per type (needs an app context)."""
    from wizard import engine
    from wizard.steps import profile_type as declared

    verdicts = {}
    for label, answers in samples.items():
        profile_type = label.removesuffix("_elsewhere")
        path = declared(profile_type).path(answers, is_eu_cosme)
        failing = engine.revalidate(path, answers)
        missing = [s.name for s in path.steps if s.name not in answers]
        verdicts[label] = "valid" if failing is None else f"invalid on '{failing.name}'" + (
            f" (not generated: {', '.join(missing)})" if missing else "")
    return verdicts
