"""`flask validation demo-queue`: a queue a validator can work through after `flask demo-data`."""
from tests.support.pages import ClientHelper
from wizard.demo import DEMO_PASSWORD, VALIDATOR_EMAIL


def test_a_validator_works_through_the_demo_queue(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    result = runner.invoke(args=["validation", "demo-queue"])
    assert result.exit_code == 0, result.output
    assert "Oslo Ocean Tech Cluster" in result.output and "submitted 15 days ago" in result.output
    again = runner.invoke(args=["validation", "demo-queue"])
    assert again.output.count("(already there)") == 5

    helper = ClientHelper(app, client)
    helper.post("/account/sign-in", {"email": VALIDATOR_EMAIL, "password": DEMO_PASSWORD}, expected=302)
    queue = helper.get("/validation/")
    rows = queue.select("#results-heading ~ table tbody tr")
    assert [row.a.get_text(strip=True) for row in rows][:2] == ["Tallinn Digital Cluster", "Lyon Health Valley"]
    assert len(rows) == 5
    pages = {row.a.get_text(strip=True): helper.get(row.a["href"]) for row in rows}
    assert "Bavarian Mobility Cluster" in [a.get_text(strip=True) for a in
                                           pages["Bavarian Mobility Cluster e.V."].select("#duplicates-heading ~ ul a")]
    assert "may be waived" in pages["Tallinn Digital Cluster"].text()
    assert pages["Oslo Ocean Tech Cluster"].select_one("#criteria-heading") is None
    for name, page in pages.items():
        url = page.response.request.path
        decision = "reject" if name.startswith("Bavarian") else "publish"
        helper.post(f"{url}/decision", {"decision": decision, "message": "Duplicate." if decision == "reject" else "",
                                        "version": page.value_of("version")}, form_url=url, expected=302)
    assert "No profiles match" in helper.get("/validation/").text()
    assert "Lyon Health Valley" in helper.get("/directory/?q=lyon").text()
