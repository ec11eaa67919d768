"""Base pages render with the layout, the headers, and the hygiene every page needs."""
import pytest


@pytest.mark.parametrize("url", ["/", "/account/register", "/account/sign-in", "/account/forgot-password",
                                 "/dev/outbox"])
def test_page_renders(helper, url):
    page = helper.get(url)
    assert page.h1
    assert page.response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_unknown_page_is_a_friendly_404(helper):
    page = helper.get("/no/such/page", expected=404)
    assert page.h1 == "Page not found"
    assert page.response.headers["X-Content-Type-Options"] == "nosniff"
