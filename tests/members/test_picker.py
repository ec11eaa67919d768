"""The "Your cluster organisation(s)" step: search, choose, remove, without JavaScript."""
import pytest
from sqlalchemy import event

from tests.members.conftest import choose
from tests.validation.factory import bulk_submitted
from tests.wizard import walk
from wizard.extensions import db
from wizard.members.search import PICKER_CAP
from wizard.models import ProfileStatus


def results(page) -> list[str]:
    return [label.get_text(" ", strip=True) for label in page.select("#search-results label")]


def chosen(page) -> list[str]:
    return [item.get_text(" ", strip=True) for item in page.select("#clusters li span:not(.visually-hidden)")]


@pytest.fixture
def clusters(make_cluster):
    return {
        "sisax": make_cluster(),
        "minalogic": make_cluster("Minalogic", "", "https://www.minalogic.com", "FR"),
        "draft": make_cluster("Saxony Draft Cluster", "SDC", "https://draft-cluster.de",
                              status=ProfileStatus.SUBMITTED),
        "norway": make_cluster("Saxony Friends Norway", "SFN", "https://saxony-friends.no", "NO"),
        "greek": make_cluster("Σύμπλεγμα Καινοτομίας", "SK", "https://si-cluster.gr", "GR"),
    }


@pytest.mark.parametrize("query, expected", [
    ("Silicon Saxony", ["Silicon Saxony (SiSax) – Germany"]),
    ("saxony", ["Silicon Saxony (SiSax) – Germany"]),  # a word inside the name; not the draft or the Norwegian one
    ("SILIC sax", ["Silicon Saxony (SiSax) – Germany"]),  # prefixes of several words, any case
    ("sisax", ["Silicon Saxony (SiSax) – Germany"]),
    ("https://www.minalogic.com/en/about", ["Minalogic – France"]),
    ("minalogic.com", ["Minalogic – France"]),
    ("καινοτομιας", ["Σύμπλεγμα Καινοτομίας (SK) – Greece"]),
    ("Minalogic SA", ["Minalogic – France"]),  # a legal form typed after the name is ignored
    ("nothing-like-this", []),
])
def test_search_by_name_acronym_or_website(helper, member_draft, clusters, query, expected):
    public_id = member_draft()
    page = helper.get(f"/drafts/{public_id}/clusters", query_string={"q": query})
    assert [text.split(" http")[0] for text in results(page)] == expected
    if not expected:
        assert "No published cluster organisation matches" in page.text()


def test_search_pages_with_a_constant_number_of_queries(app, helper, member_draft, make_cluster, make_admin):
    admin = make_admin()
    for n in range(23):
        make_cluster(f"Robotics Cluster {n:02d}", f"RC{n}", f"https://robotics-{n}.eu", admins=[admin])
    public_id = member_draft()
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    first = helper.get(f"/drafts/{public_id}/clusters", query_string={"q": "robotics"})
    count_first = len(statements)
    statements.clear()
    last = helper.get(f"/drafts/{public_id}/clusters", query_string={"q": "robotics", "page": "3"})
    assert len(statements) == count_first, "the same number of queries whatever the page"
    assert len(results(first)) == 10 and len(results(last)) == 3
    assert "23 cluster organisations found" in first.text()
    assert "Page 3 of 3" in last.text() and last.select_one('a[href*="page=2"]')


def test_many_matches_are_capped_and_read_in_name_order(helper, client, member_draft, applicant):
    """Past PICKER_CAP matches the picker says "more than" and pages through the first ones by name only."""
    bulk_submitted(applicant, PICKER_CAP + 5, status="published")
    public_id = member_draft()
    first = helper.get(f"/drafts/{public_id}/clusters", query_string={"q": "bulk"})
    assert f"More than {PICKER_CAP} cluster organisations found" in first.text()
    assert [text.split(" – ")[0] for text in results(first)] == [f"Bulk cluster {n:04d}" for n in range(10)]
    last = helper.get(f"/drafts/{public_id}/clusters", query_string={"q": "bulk", "page": "99"})
    assert [text.split(" – ")[0] for text in results(last)] == [f"Bulk cluster {n:04d}" for n in range(90, 100)]
    assert last.select_one('a[href*="page=9"]') and not last.select_one('a[href*="page=11"]')
    narrowed = helper.get(f"/drafts/{public_id}/clusters", query_string={"q": "bulk 0104"})
    assert [text.split(" – ")[0] for text in results(narrowed)] == ["Bulk cluster 0104"]
    found = client.get("/members/cluster-search", query_string={"q": "bulk"}).json
    assert (found["total"], found["more"], len(found["results"])) == (PICKER_CAP, True, 10)


def test_add_and_remove_without_javascript_keep_everything_else(helper, member_draft, clusters):
    public_id = member_draft()
    page = helper.get(f"/drafts/{public_id}/clusters", query_string={"q": "saxony"})
    token = page.value_of("csrf_token")
    added = helper.post(f"/drafts/{public_id}/clusters/update",
                        {"csrf_token": token, "q": "saxony", "add_cluster": clusters["sisax"].public_id,
                         "not_listed": "y"}, expected=302)
    assert helper.redirect_target(added) == f"/drafts/{public_id}/clusters?q=saxony#clusters"
    page = helper.get(f"/drafts/{public_id}/clusters", query_string={"q": "saxony"})
    assert chosen(page) == ["Silicon Saxony (SiSax) – Germany"]
    assert "was added" in page.text()
    assert page.select_one("#not_listed").has_attr("checked"), "what else was on the page is kept"
    assert "Chosen" in page.select_one("#search-results").text
    page = helper.get(f"/drafts/{public_id}/clusters", query_string={"q": "minalogic"})
    helper.post(f"/drafts/{public_id}/clusters/update",
                {"csrf_token": token, "clusters": [clusters["sisax"].public_id], "q": "minalogic",
                 "add_cluster": clusters["minalogic"].public_id}, expected=302)
    page = helper.get(f"/drafts/{public_id}/clusters")
    assert chosen(page) == ["Silicon Saxony (SiSax) – Germany", "Minalogic – France"]
    helper.post(f"/drafts/{public_id}/clusters/update",
                {"csrf_token": token, "clusters": [clusters["sisax"].public_id, clusters["minalogic"].public_id],
                 "remove_cluster": clusters["sisax"].public_id}, expected=302)
    page = helper.get(f"/drafts/{public_id}/clusters")
    assert chosen(page) == ["Minalogic – France"]


@pytest.mark.parametrize("which", ["draft", "norway"])
def test_a_cluster_that_cannot_be_chosen_is_refused(helper, member_draft, clusters, which):
    public_id = member_draft()
    page = choose(helper, public_id, clusters[which].public_id, expected=400)
    assert "no longer published" in " ".join(page.error_summary)
    token = helper.get(f"/drafts/{public_id}/clusters").value_of("csrf_token")
    helper.post(f"/drafts/{public_id}/clusters/update", {"csrf_token": token, "add_cluster": clusters[which].public_id},
                expected=302)
    assert walk.stored(public_id, "clusters").get("clusters") == []


def test_nothing_chosen_is_an_error_next_to_the_field(helper, member_draft):
    public_id = member_draft()
    page = choose(helper, public_id, expected=400)
    assert page.error_summary == ["Choose at least one cluster organisation, or tick 'My cluster organisation is "
                                  "not listed'"]
    assert page.error_links == ["#clusters"] and page.select_one("#clusters .invalid-feedback")


def test_choosing_leads_on_and_check_your_answers_names_the_cluster(helper, member_draft, clusters):
    public_id = member_draft()
    page = choose(helper, public_id, clusters["sisax"].public_id, clusters["minalogic"].public_id)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/logo", "the not-listed step does not apply"
    walk.fill(helper, public_id, "logo", {})
    check = helper.get(f"/drafts/{public_id}/check-answers")
    section = check.select_one("#section-clusters").find_parent("section").get_text(" ", strip=True)
    assert "Silicon Saxony (SiSax) – Germany" in section and "Minalogic – France" in section


def test_not_listed_opens_the_manual_step(helper, member_draft):
    public_id = member_draft()
    page = choose(helper, public_id, not_listed=True)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/clusters-not-listed"


def test_type_ahead_json_lists_only_choosable_clusters(client, clusters):
    response = client.get("/members/cluster-search", query_string={"q": "saxony"})
    assert response.status_code == 200
    assert [r["name"] for r in response.json["results"]] == ["Silicon Saxony"]
    assert response.json["results"][0]["id"] == clusters["sisax"].public_id
    assert client.get("/members/cluster-search").json == {"results": [], "total": 0, "more": False}


def test_the_step_page_loads_the_type_ahead_script_and_no_inline_script(helper, member_draft):
    page = helper.get(f"/drafts/{member_draft()}/clusters")
    assert page.select_one('script[src$="cluster-picker.js"]')
    assert page.select_one("form[role=search]")["method"] == "get"


def test_a_stale_picker_page_does_not_drop_a_cluster_chosen_in_another_window(helper, member_draft, clusters):
    """reliability.md CC-3 on the picker: its Add and Remove buttons save the whole list the page shows."""
    public_id = member_draft()
    url = f"/drafts/{public_id}/clusters"
    sisax, minalogic = clusters["sisax"].public_id, clusters["minalogic"].public_id

    window_a = helper.get(url, query_string={"q": "saxony"})
    window_b = helper.get(url, query_string={"q": "minalogic"})
    walk.post_from(helper, window_a, f"{url}/update", {"q": "saxony", "add_cluster": sisax})
    walk.post_from(helper, window_b, f"{url}/update", {"q": "minalogic", "add_cluster": minalogic})
    page = helper.get(url, query_string={"q": "minalogic"})
    assert chosen(page) == ["Silicon Saxony (SiSax) – Germany"], "the other window's choice is kept"
    assert "your change was not made" in page.text() and "Minalogic was added" not in page.text()

    # From the page as it is saved now, the same button works; "Save and continue" from the old page comes back.
    walk.post_from(helper, page, f"{url}/update", {"q": "minalogic", "clusters": [sisax], "add_cluster": minalogic})
    refused = walk.post_from(helper, window_b, url, {"clusters": [minalogic]}, expected=409)
    assert "Saved meanwhile" in refused.text()
    assert chosen(helper.get(url)) == ["Silicon Saxony (SiSax) – Germany", "Minalogic – France"]
