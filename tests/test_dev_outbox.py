"""The development outbox page: every queued e-mail, links to this site clickable, user text escaped;
absent in production and whenever DEV_OUTBOX_ENABLED is off."""
import pytest

from tests.support.apps import production_app
from tests.support.clients import IsolatedClient
from tests.support.emails import only_email

HOSTILE_NAME = ("Eve <script>alert('x')</script><b>bold</b> see http://localhost.evil.example/phish "
                "http://localhost@evil.example/a https://evil.example/b")


@pytest.fixture
def client(app):
    return IsolatedClient.for_app(app)


def register(helper, email: str, full_name: str = "Ana Example") -> None:
    helper.post("/account/register", {"full_name": full_name, "email": email, "password": "plum tractor gossip",
                                      "confirm": "plum tractor gossip"}, expected=302)


def reset_for_confirmed_account(helper, make_user, email: str, full_name: str) -> None:
    """A reset link to an account that confirmed its address: the one e-mail that greets by the typed name
    (nothing typed goes to an address nobody confirmed)."""
    make_user(email, full_name=full_name)
    helper.post("/account/forgot-password", {"email": email}, expected=200)


def test_the_outbox_lists_queued_e_mails_newest_first(helper):
    register(helper, "first@example.eu")
    register(helper, "second@example.eu")
    page = helper.get("/dev/outbox")

    assert page.h1.startswith("Outbox")
    rows = [[cell.get_text(strip=True) for cell in row.select("td")] for row in page.soup.select("tbody tr")]
    assert [(row[1], row[2], row[3]) for row in rows] == [
        ("second@example.eu", "Confirm your e-mail address", "pending"),
        ("first@example.eu", "Confirm your e-mail address", "pending"),
    ]


def test_an_empty_outbox(helper):
    assert "No e-mails yet." in helper.get("/dev/outbox").text()


def test_a_message_page_makes_only_links_to_this_site_clickable(app, helper, make_user):
    reset_for_confirmed_account(helper, make_user, "eve@example.eu", HOSTILE_NAME)
    message = only_email("eve@example.eu")
    page = helper.get(f"/dev/outbox/{message.id}")

    assert page.h1 == "Choose a new password"
    body = page.soup.select_one("pre")
    anchors = [a["href"] for a in body.select("a")]
    assert len(anchors) == 1 and anchors[0].startswith(app.config["BASE_URL"] + "/account/reset-password/")
    for stranger in ("http://localhost.evil.example/phish", "http://localhost@evil.example/a", "https://evil.example/b"):
        assert stranger in body.get_text()  # shown as text, not as a link
    assert not page.soup.select("a[href*='evil']")

    # The link works: following it shows the page that asks for the new password.
    assert helper.get(anchors[0].removeprefix(app.config["BASE_URL"])).h1 == "Choose a new password"


def test_html_in_user_text_is_escaped(helper, make_user):
    reset_for_confirmed_account(helper, make_user, "eve@example.eu", HOSTILE_NAME)
    message = only_email("eve@example.eu")
    page = helper.get(f"/dev/outbox/{message.id}")

    assert "<script>alert('x')</script><b>bold</b>" in page.soup.select_one("pre").get_text()
    assert not page.soup.select("pre script, pre b")
    assert "&lt;script&gt;" in page.response.get_data(as_text=True)
    page.check_hygiene()  # no inline script made it into the page


def test_an_unknown_message_is_a_404(helper):
    assert helper.get("/dev/outbox/999999", expected=404).h1 == "Page not found"


def test_absent_under_the_production_settings(database_url):
    with production_app(database_url) as production:
        assert "dev.outbox" not in production.view_functions
        browser = IsolatedClient.for_app(production)
        for path in ("/dev/outbox", "/dev/outbox/1"):
            assert browser.get(path, base_url="https://localhost").status_code == 404
        assert "Outbox (dev)" not in browser.get("/", base_url="https://localhost").get_data(as_text=True)


@pytest.mark.config(DEV_OUTBOX_ENABLED=False)
def test_absent_when_disabled(app, helper):
    assert "dev.outbox" not in app.view_functions
    assert helper.get("/dev/outbox", expected=404).h1 == "Page not found"
    assert "Outbox (dev)" not in helper.get("/").text()


def test_switched_off_at_run_time_is_refused_too(app, helper):
    helper.get("/dev/outbox")
    app.config["DEV_OUTBOX_ENABLED"] = False
    helper.get("/dev/outbox", expected=404)


def test_the_layout_links_the_page_when_enabled(helper):
    page = helper.get("/")
    assert page.soup.find("a", string="Outbox (dev)")["href"] == "/dev/outbox"


def test_a_production_app_that_asks_for_it_refuses_to_start(database_url):
    with pytest.raises(RuntimeError, match="outbox"), production_app(database_url, DEV_OUTBOX_ENABLED=True):
        pass
