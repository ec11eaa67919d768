"""E-mailed links name the public site (BASE_URL), whatever Host the request that composes them came with."""
import pytest

from wizard.links import email_link


@pytest.mark.config(BASE_URL="https://register.example.eu/clusters")
def test_links_follow_base_url_not_the_request_host(app):
    with app.test_request_context("/", base_url="http://evil.example/"):
        assert email_link("auth.reset_password", token="abc") == \
            "https://register.example.eu/clusters/account/reset-password/abc"
        assert email_link("wizard.my_profiles") == "https://register.example.eu/clusters/my-profiles"
    # And without a request (the sender, the command line).
    assert email_link("directory.profile", public_id="p 1") == "https://register.example.eu/clusters/directory/p%201"


def test_a_reset_e_mail_asked_with_a_forged_host_links_to_base_url(app, client, make_user):
    from tests.support.emails import queued_emails

    user = make_user(email="ana@example.eu")
    page = client.get("/account/forgot-password", base_url="http://evil.example")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/account/forgot-password", data={"email": user.email, "csrf_token": token},
                           base_url="http://evil.example", headers={"Origin": "http://evil.example"})
    assert response.status_code in (200, 302, 303)
    [message] = queued_emails(to=user.email)
    assert "http://localhost/account/reset-password/" in message.body_text
    assert "evil.example" not in message.body_text + message.body_html
