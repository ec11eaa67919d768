"""Country first: every country in a sorted select, EU/COSME status from the database, editable from the CLI."""
import pycountry
from sqlalchemy import func, select

from tests.wizard import walk
from tests.wizard.answers import CLUSTER_ELSEWHERE, CLUSTER_ELSEWHERE_STEPS
from wizard.countries import EU_COSME_SEED, sort_key
from wizard.extensions import db
from wizard.models import Country
from wizard.services.drafts import path_for


def test_the_country_select_offers_every_country_sorted(helper):
    public_id = walk.start(helper, "works_with_clusters")
    page = helper.get(f"/drafts/{public_id}/country")
    assert page.h1 == "Country"
    select_element = page.soup.find("select", attrs={"name": "country"})
    label = page.soup.find("label", attrs={"for": select_element["id"]})
    assert label.get_text(strip=True) == "Country"
    assert select_element["aria-describedby"] == "country-hint"
    options = [(o["value"], o.get_text()) for o in select_element.find_all("option")]
    assert options[0] == ("", "Choose a country")
    codes = [code for code, _ in options[1:]]
    assert set(codes) == {c.alpha_2 for c in pycountry.countries} | {"XK"}
    names = [name for _, name in options[1:]]
    assert names == sorted(names, key=sort_key), "sorted, so typing the first letters finds a country"
    assert ("XK", "Kosovo") in options and ("GR", "Greece") in options


def test_an_unknown_or_empty_country_is_refused_and_the_choice_kept(helper):
    public_id = walk.start(helper, "works_with_clusters")
    page = walk.fill(helper, public_id, "country", {"country": ""}, expected=400)
    assert page.error_summary == ["Choose the country of your organisation"]
    assert page.error_links == ["#country"]
    page = walk.fill(helper, public_id, "country", {"country": "EL"}, expected=400)
    assert page.error_summary == ["Choose a country from the list"]
    walk.fill(helper, public_id, "country", {"country": "XK"})
    assert helper.get(f"/drafts/{public_id}/country").value_of("country") == "XK"
    assert walk.profile_of(public_id).country_code == "XK"


def test_eu_cosme_status_is_the_seeded_table(app):
    flagged = set(db.session.scalars(select(Country.code).where(Country.eu_cosme)))
    assert flagged == set(EU_COSME_SEED)
    assert db.session.scalar(select(func.count()).select_from(Country)) == len(pycountry.countries) + 1


def test_flipping_a_country_on_the_command_line_changes_an_existing_drafts_steps(app, helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_ELSEWHERE, CLUSTER_ELSEWHERE_STEPS)
    assert "cluster_profile" in path_for(walk.profile_of(public_id)).names()
    runner = app.test_cli_runner()
    try:
        result = runner.invoke(args=["countries", "set-eu-cosme", "no", "on"])
        assert result.exit_code == 0, result.output
        assert "Norway (NO): EU/COSME on" in result.output
        db.session.expire_all()
        names = path_for(walk.profile_of(public_id)).names()
        assert "management" in names and "cluster_profile" not in names
        resumed = helper.client.get(f"/drafts/{public_id}")
        assert resumed.headers["Location"].endswith(f"/drafts/{public_id}/management")
    finally:
        runner.invoke(args=["countries", "set-eu-cosme", "NO", "off"])
    db.session.expire_all()
    assert db.session.get(Country, "NO").eu_cosme is False
    assert "cluster_profile" in path_for(walk.profile_of(public_id)).names()


def test_the_command_refuses_an_unknown_code(app):
    result = app.test_cli_runner().invoke(args=["countries", "set-eu-cosme", "EL", "on"])
    assert result.exit_code != 0 and "There is no country with the code" in result.output
