"""The public directory: published profiles only, search and filters, pages, and the visibility rules."""
import pytest

from tests.validation.factory import (
    CLUSTER_EU,
    affiliate,
    answers_with,
    bulk_submitted,
    draft,
    member_profile,
    organisation,
    published_profile,
    submitted_profile,
)
from tests.validation.test_queue import count_queries
from wizard.extensions import db
from wizard.models import ListedMember, ProfileEcosystem
from wizard.services import decisions


def _names(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".directory-results h3 a")]


@pytest.fixture
def cluster(applicant, validator):
    return published_profile(applicant, validator)


def test_only_published_profiles_are_listed(helper, cluster, applicant, validator, make_user):
    other = make_user(email="other@example.eu")
    waiting = submitted_profile(other, organisation("Waiting Cluster", "https://waiting.example.eu"))
    refused = submitted_profile(other, organisation("Refused Cluster", "https://refused.example.eu"))
    decisions.decide(refused, decisions.Decision.REJECT, validator, refused.version, "Not a cluster.")
    draft(other, organisation("Draft Cluster", "https://draft.example.eu"))
    page = helper.get("/directory/")
    assert _names(page) == ["Silicon Saxony e.V."]
    assert page.select_one("#results-heading").get_text(strip=True) == "1 profile"
    helper.get(f"/directory/{cluster.public_id}")
    for hidden in (waiting, refused):
        helper.get(f"/directory/{hidden.public_id}", expected=404)


# (what is typed, whether Silicon Saxony e.V. / SiSax is found)
SEARCHES = [("saxony", True), ("SILICON", True), ("sisax", True), ("SiSa", True), ("Saxony e.V.", True),
            ("Sïlicon-Säxony", True), ("silicon  saxony", True), ("dresden", False), ("%", False), ("_", False),
            ("saxony silicon", False)]


def test_search_by_name_or_acronym_ignores_case(helper, cluster):
    for query, found in SEARCHES:
        page = helper.get("/directory/", query_string={"q": query})
        assert _names(page) == (["Silicon Saxony e.V."] if found else []), query
        assert page.value_of("q") == query
        assert ("No profiles match your search" in page.text()) is not found


def test_filters_by_type_country_and_ecosystem(helper, applicant, validator):
    german = published_profile(applicant, validator)
    austrian = published_profile(applicant, validator, answers_with(
        organisation("Health Cluster Vienna", "https://health-vienna.example.eu", country="AT"),
        focus={"ecosystems": ["health"], "technical_focus": "Medical devices"}))
    member = member_profile(applicant, "Member Company", country="DE")
    affiliate(member, german)
    assert _names(helper.get("/directory/?country=AT")) == [austrian.name]
    assert _names(helper.get("/directory/?ecosystem=health")) == [austrian.name]
    assert _names(helper.get("/directory/?ecosystem=electronics")) == [german.name]
    assert _names(helper.get("/directory/?ecosystem=tourism")) == []
    assert _names(helper.get("/directory/?profile_type=cluster_member")) == [member.name]
    assert _names(helper.get("/directory/?profile_type=cluster_organisation&country=DE")) == [german.name]
    assert _names(helper.get("/directory/?country=DE")) == [member.name, german.name]
    assert _names(helper.get("/directory/?q=health&country=DE")) == []
    row = helper.get("/directory/?country=AT").select_one(".directory-results li").get_text(" ", strip=True)
    assert row.endswith("Cluster organisation · Austria · Health")


def test_a_bad_filter_is_a_clear_error(helper, cluster):
    for query in ["country=XX", "profile_type=robot", "ecosystem=space", "q=" + "x" * 101]:
        page = helper.get(f"/directory/?{query}", expected=400)
        assert len(page.error_summary) == 1, query
        assert _names(page) == ["Silicon Saxony e.V."]
    # A NUL byte is refused before any view runs (PostgreSQL cannot even compare one).
    assert helper.get("/directory/?q=a%00b", expected=400).h1 == "The request could not be understood"


def test_results_come_25_to_a_page_by_name(helper, applicant):
    bulk_submitted(applicant, 30, status="published")
    first = helper.get("/directory/")
    assert _names(first) == [f"Bulk cluster {n:04d}" for n in range(25)]
    assert "30 profiles, showing 1 to 25" in first.text()
    second = helper.get(first.select_one("a[rel=next]")["href"])
    assert _names(second) == [f"Bulk cluster {n:04d}" for n in range(25, 30)]
    filtered = helper.get("/directory/?q=bulk&country=DE")
    assert "q=bulk" in filtered.select_one("a[rel=next]")["href"]


def test_the_number_of_queries_does_not_grow_with_the_directory(helper, applicant):
    def publish(count, start):
        profiles = bulk_submitted(applicant, count, start=start, status="published")
        for profile in profiles:
            db.session.add(ProfileEcosystem(profile_id=profile.id, ecosystem="digital"))
            db.session.add(ProfileEcosystem(profile_id=profile.id, ecosystem="health"))
        db.session.commit()

    publish(10, 0)
    helper.get("/directory/")
    with count_queries() as small:
        helper.get("/directory/?ecosystem=digital")
    publish(190, 10)
    with count_queries() as large:
        page = helper.get("/directory/?ecosystem=digital")
    assert len(_names(page)) == 25 and "Digital, Health" in page.text()
    assert len(large) == len(small) <= 4, large
    # Counting stops at COUNT_CAP; "Next" still comes from the page itself.
    assert "More than 100 profiles, showing 1 to 25" in page.text()
    assert _names(page) == [f"Bulk cluster {n:04d}" for n in range(25)]
    last = helper.get("/directory/?ecosystem=digital&page=8")
    assert _names(last) == [f"Bulk cluster {n:04d}" for n in range(175, 200)]
    assert last.select_one("a[rel=prev]") and not last.select_one("a[rel=next]")


def test_contact_details_are_shown_only_when_the_applicant_chose_to(helper, applicant, validator):
    private = published_profile(applicant, validator)
    public = published_profile(applicant, validator, answers_with(
        organisation("Open Cluster", "https://open.example.eu"),
        contact={"contact_email": "desk@open.example.eu", "contact_phone": "+32 2 555 01 01",
                 "publish_contact": "y"}))
    page = helper.get(f"/directory/{private.public_id}")
    text = page.text()
    assert "Anna Schmidt" in text and "Cluster manager" in text
    assert "anna@silicon-saxony.de" not in text and "+49 351 123456" not in text
    assert "Show this e-mail address" not in text
    assert "Europe's largest microelectronics network." in text and "Infineon Technologies AG" in text
    text = helper.get(f"/directory/{public.public_id}").text()
    assert "desk@open.example.eu" in text and "+32 2 555 01 01" in text


# (cluster organisation's status, affiliation status, manual?) -> member shown?
VISIBILITY = [
    ("published", "approved", False, True),
    ("published", "pending", False, False),
    ("published", "declined", False, False),
    ("published", "ended", False, False),
    ("submitted", "approved", False, False),
    ("rejected", "approved", False, False),
    (None, "approved", True, True),
    (None, "pending", True, False),
    (None, "declined", True, False),
]


def test_member_profiles_follow_the_visibility_rules(helper, applicant):
    cases = []
    for n, (cluster_status, affiliation_status, manual, shown) in enumerate(VISIBILITY):
        cluster = None
        if not manual:
            cluster = bulk_submitted(applicant, 1, start=n, status=cluster_status)[0]
        member = member_profile(applicant, f"Member {n} {affiliation_status}")
        affiliate(member, cluster, status=affiliation_status, manual_name="Unlisted Cluster" if manual else "")
        cases.append((cluster, member, shown))
    listed = _names(helper.get("/directory/?profile_type=cluster_member"))
    assert listed == [member.name for _, member, shown in cases if shown]
    for cluster, member, shown in cases:
        helper.get(f"/directory/{member.public_id}", expected=200 if shown else 404)
        if cluster is not None and cluster.status == "published":
            members = helper.get(f"/directory/{cluster.public_id}").select("#members-heading ~ ul a")
            assert [a.get_text(strip=True) for a in members] == ([member.name] if shown else [])


def test_an_unpublished_member_profile_never_shows(helper, applicant, cluster):
    member = member_profile(applicant, "Member Company", status="submitted")
    affiliate(member, cluster, status="approved")
    assert _names(helper.get("/directory/")) == [cluster.name]
    helper.get(f"/directory/{member.public_id}", expected=404)


def test_a_member_page_lists_only_its_approved_affiliations(helper, applicant, validator, cluster):
    other = published_profile(applicant, validator, organisation("Other Cluster", "https://other.example.eu"))
    member = member_profile(applicant, "Member Company")
    affiliate(member, cluster, status="approved")
    affiliate(member, other, status="declined")
    affiliate(member, None, status="approved", manual_name="Hand-typed Cluster")
    page = helper.get(f"/directory/{member.public_id}")
    items = page.select("#clusters-heading ~ ul li")
    assert [li.get_text(strip=True) for li in items] == ["Silicon Saxony e.V.", "Hand-typed Cluster"]
    assert items[0].a["href"] == f"/directory/{cluster.public_id}" and items[1].a is None
    assert "Other Cluster" not in page.text()


def test_a_cluster_page_pages_its_listed_members(helper, cluster):
    for n in range(58):
        db.session.add(ListedMember(profile_id=cluster.id, name=f"Listed member {n:02d}",
                                    website="javascript:alert(1)" if n == 0 else f"https://m{n}.example.eu"))
    db.session.commit()
    page = helper.get(f"/directory/{cluster.public_id}")
    assert "Members listed by the cluster organisation (60)" in page.text()
    listed = page.select("#listed-heading ~ ul li")
    assert len(listed) == 50
    assert [li.get_text(strip=True) for li in listed[:3]] == ["Infineon Technologies AG", "Listed member 00",
                                                              "Listed member 01"]
    assert listed[1].a is None and listed[2].a["href"] == "https://m1.example.eu"
    next_link = page.select_one("a[rel=next]")["href"]
    assert next_link == f"/directory/{cluster.public_id}?members_page=2#listed-heading"
    second = helper.get(next_link).select("#listed-heading ~ ul li")
    assert [li.get_text(strip=True) for li in second][-1] == "TU Dresden" and len(second) == 10


def test_the_directory_is_open_to_everyone(helper, cluster, applicant, sign_in):
    assert helper.get("/directory/").status == 200
    sign_in(applicant)
    assert _names(helper.get("/directory/")) == [cluster.name]
    assert CLUSTER_EU["organisation"]["name"] == cluster.name


def test_search_ignores_case_and_accents_beyond_ascii(helper, applicant, validator):
    greek = published_profile(applicant, validator, organisation("Σύμπλεγμα Καινοτομίας", "https://si-cluster.gr",
                                                                 country="GR"))
    for query in ("ΣΥΜΠΛΕΓΜΑ", "συμπλεγμα", "καινοτομίας"):
        assert _names(helper.get("/directory/", query_string={"q": query})) == [greek.name], query
