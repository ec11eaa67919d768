"""The "not listed" step holds at most three cluster organisations (F27): a fourth posted row is refused with the
limit, and all four typed rows come back (before, the fourth vanished without a word)."""
from tests.members.conftest import choose
from tests.wizard import walk
from wizard.steps.cluster_member import CLUSTERS_NOT_LISTED

MANUAL_STEP = CLUSTERS_NOT_LISTED.name


def test_a_fourth_cluster_organisation_is_refused_with_the_limit_and_kept(helper, member_draft):
    public_id = member_draft()
    choose(helper, public_id, not_listed=True)
    url = walk.step_url(public_id, MANUAL_STEP)
    page = helper.get(url)
    assert "You can add up to 3 cluster organisations." in page.soup.find(id="manual_clusters-hint").get_text()
    typed = {}
    for n in range(4):
        typed.update({f"manual_clusters-{n}-cluster_name": f"Unlisted Cluster {n}",
                      f"manual_clusters-{n}-cluster_website": f"https://unlisted-{n}.example.de",
                      f"manual_clusters-{n}-cluster_country": "DE"})
    page = walk.post_from(helper, page, url, typed, expected=400)
    limit = "You can add up to 3 cluster organisations: you have entered 4. Remove 1 of them"
    assert limit in page.error_summary
    assert limit in page.soup.find(id="manual_clusters").get_text()
    assert [page.value_of(f"manual_clusters-{n}-cluster_name") for n in range(4)] == \
        [f"Unlisted Cluster {n}" for n in range(4)]
    assert walk.stored(public_id, MANUAL_STEP)["manual_clusters-3-cluster_name"] == ["Unlisted Cluster 3"]
