"""Issue 17 item 7: an association's member clusters and a partnership's partners are picked from the published
cluster organisations (the members' picker, without JavaScript here; tests/browser/test_issue17.py uses it with
JavaScript) and/or typed in, and what is chosen shows on "Check your answers", to validators and publicly."""
import pytest

from tests.wizard import walk
from tests.wizard.answers import ASSOCIATION, PARTNERSHIP
from wizard.engine import SEEN_FIELD
from wizard.models import ProfileStatus
from wizard.services import decisions

# (profile type, answers, picker step, typed-in step, the typed-in rows' field, where validators read it)
TYPES = [("association", ASSOCIATION, "member_clusters", "member_clusters_typed", "member_clusters-0-cluster_name"),
         ("partnership", PARTNERSHIP, "partner_clusters", "partner_clusters_typed", "partners-0-cluster_name")]


@pytest.fixture
def published(make_cluster):
    # Not only EU/COSME countries: an association may bring together clusters from anywhere.
    return {"sisax": make_cluster(), "oslo": make_cluster("Oslo Maritime Cluster", "OMC", "https://oslo-mc.no", "NO"),
            "draft": make_cluster("Maritime Draft Cluster", "MDC", "https://mdc.no", "NO",
                                  status=ProfileStatus.SUBMITTED)}


def results(page) -> list[str]:
    return [label.get_text(" ", strip=True).split(" http")[0] for label in page.select("#search-results label")]


def add(helper, public_id: str, step: str, query: str, cluster) -> None:
    """Search, then the result's own "Add" button (a plain submit: no JavaScript needed)."""
    page = helper.get(f"/drafts/{public_id}/{step}", query_string={"q": query})
    button = page.soup.find("button", attrs={"name": "add_cluster", "value": cluster.public_id})
    assert button is not None, f"{cluster.name} is not offered for {query!r}: {results(page)}"
    hidden = {name: page.value_of(name) for name in ("csrf_token", SEEN_FIELD)}
    already = [i["value"] for i in page.select("#clusters input[type=hidden][name=clusters]")]  # as a browser posts
    done = helper.post(button["formaction"], {**hidden, "clusters": already, "q": query,
                                              "add_cluster": cluster.public_id}, expected=302)
    assert helper.redirect_target(done).startswith(walk.step_url(public_id, step))


@pytest.mark.parametrize(("profile_type", "answers", "picker", "typed", "row"), TYPES,
                         ids=["association", "partnership"])
def test_clusters_picked_from_the_platform_and_typed_in_show_everywhere(
        helper, applicant, validator, published, profile_type, answers, picker, typed, row):
    public_id = walk.start(helper, profile_type)
    walk.walk(helper, public_id, answers, ["country", "organisation", "contact", profile_type])
    page = helper.get(f"/drafts/{public_id}/{picker}", query_string={"q": "maritime"})
    assert results(page) == ["Oslo Maritime Cluster (OMC) – Norway"], "published ones only, from any country"
    add(helper, public_id, picker, "maritime", published["oslo"])
    add(helper, public_id, picker, "sisax", published["sisax"])
    page = helper.get(f"/drafts/{public_id}/{picker}")
    assert [li.get_text(" ", strip=True).split(" Remove")[0] for li in page.select("#clusters li")] == \
        ["Oslo Maritime Cluster (OMC) – Norway", "Silicon Saxony (SiSax) – Germany"]
    # Some are not on the platform: typed in on the next step.
    done = walk.fill(helper, public_id, picker, {"clusters": [published["oslo"].public_id,
                                                              published["sisax"].public_id], "not_listed": "y"})
    assert helper.redirect_target(done) == walk.step_url(public_id, typed)
    walk.walk(helper, public_id, answers, [typed, "logo"])

    check = helper.get(f"/drafts/{public_id}/check-answers").text()
    for shown in ("Oslo Maritime Cluster (OMC) – Norway", "Silicon Saxony (SiSax) – Germany", answers[typed][row]):
        assert shown in check
    walk.sign_in_through_form(helper, applicant.email, f"/drafts/{public_id}/check-answers")
    walk.submit(helper, public_id)
    walk.sign_in_through_form(helper, validator.email, "/validation/")
    review = helper.get(f"/validation/profiles/{public_id}").text()
    assert "Oslo Maritime Cluster (OMC) – Norway" in review and answers[typed][row] in review
    profile = walk.profile_of(public_id)
    decisions.decide(profile, decisions.Decision.PUBLISH, validator, profile.version)

    public = helper.get(f"/directory/{public_id}")
    links = {a.get_text(strip=True): a["href"] for a in public.select("main dd a")}
    assert links["Oslo Maritime Cluster"] == f"/directory/{published['oslo'].public_id}"
    assert links["Silicon Saxony"] == f"/directory/{published['sisax'].public_id}"
    assert answers[typed][row] in public.text()
    assert "Some " not in public.text(), "the 'not on the platform' tick is the applicant's, not public"


def test_a_cluster_that_is_not_published_cannot_be_picked(helper, published):
    public_id = walk.start(helper, "association")
    walk.walk(helper, public_id, ASSOCIATION, ["country", "organisation", "contact", "association"])
    page = helper.get(f"/drafts/{public_id}/member-clusters")
    hidden = {name: page.value_of(name) for name in ("csrf_token", SEEN_FIELD)}
    helper.post(f"/drafts/{public_id}/member-clusters/update",
                {**hidden, "add_cluster": published["draft"].public_id}, expected=302)
    assert walk.stored(public_id, "member_clusters").get("clusters") == []
    page = walk.fill(helper, public_id, "member_clusters", {"clusters": [published["draft"].public_id]}, expected=400)
    assert "no longer published" in page.error_summary[0]


def test_nothing_picked_and_nothing_typed_in_is_an_error_next_to_the_picker(helper):
    public_id = walk.start(helper, "partnership")
    walk.walk(helper, public_id, PARTNERSHIP, ["country", "organisation", "contact", "partnership"])
    page = walk.fill(helper, public_id, "partner_clusters", {}, expected=400)
    assert page.error_summary == ["Choose at least one partner cluster organisation, or tick 'Some partners are not "
                                  "on the platform'"]
    assert page.error_links == ["#clusters"]


def test_the_type_ahead_offers_every_country_to_associations_and_partnerships_only(client, published):
    names = [r["name"] for r in client.get("/members/cluster-search?q=oslo&scope=all").json["results"]]
    assert names == ["Oslo Maritime Cluster"]
    assert client.get("/members/cluster-search?q=oslo").json["results"] == [], "a member's picker: EU/COSME only"
