"""Answers for the journeys: the wizard suite's valid answers, made unique per journey.

Journeys share one database, and the wizard stops a new profile whose name or website matches an
existing one, so each journey gets its own organisation name, website and contact address.
"""
import copy

from tests.wizard import answers as valid

#: Typed into free-text fields of one journey: shown back on every page, it must never run.
XSS = "<script>alert('xss')</script>\"'><img src=x onerror=alert(1)>"


def unique(base: dict, label: str, suffix: str, xss: bool = False) -> dict:
    answers = copy.deepcopy(base)
    domain = f"{label.lower().replace(' ', '-')}-{suffix}.eu"
    answers["organisation"].update(name=f"{label} {suffix}", website=f"https://www.{domain}")
    answers["contact"].update(contact_email=f"contact@{domain}")
    if xss:
        answers["organisation"].update(acronym="X<b>S", description=f"We test escaping. {XSS}",
                                       region=XSS[:100])
        answers["contact"].update(contact_role=f"Manager {XSS}"[:120])
    return answers


def cluster_eu(suffix: str, xss: bool = False) -> dict:
    answers = unique(valid.CLUSTER_EU, "Journey Cluster EU", suffix, xss)
    # Member websites must be new too: a member journey's organisation must not be "already listed".
    for row in (0, 1):
        answers["member_list"][f"member_list-{row}-member_name"] += f" {suffix}"
        answers["member_list"][f"member_list-{row}-member_website"] = f"https://listed-{row}-{suffix}.eu"
    # A third row makes the journey press "Add another row".
    answers["member_list"].update({"member_list-3-member_name": f"Fourth Member {suffix}",
                                   "member_list-3-member_website": f"https://fourth-{suffix}.eu"})
    answers["activities"]["activities_link"] = f"https://www.journey-cluster-eu-{suffix}.eu/services"
    return answers


def cluster_elsewhere(suffix: str) -> dict:
    return unique(valid.CLUSTER_ELSEWHERE, "Journey Cluster Norway", suffix)


def member(suffix: str) -> dict:
    return unique(valid.MEMBER, "Journey Member", suffix)


def association(suffix: str, xss: bool = False) -> dict:
    return unique(valid.ASSOCIATION, "Journey Association", suffix, xss)


def partnership(suffix: str) -> dict:
    return unique(valid.PARTNERSHIP, "Journey Partnership", suffix)


def works_with(suffix: str) -> dict:
    return unique(valid.WORKS_WITH, "Journey Works With", suffix)
