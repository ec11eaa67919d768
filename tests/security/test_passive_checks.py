"""The passive checks the authorization crawl runs on every response catch what they look for (F19)."""
import pytest

from tests.security.headers import html_problems

pytestmark = pytest.mark.figure("F19")


@pytest.mark.parametrize(("html", "problem"), [
    ('<form method="post" action="/x"><input name="name"></form>', "without a CSRF token"),
    ('<script src="https://cdn.example.com/x.js"></script>', "from another origin"),
    ('<link rel="stylesheet" href="//cdn.example.com/x.css">', "from another origin"),
    ("<script>alert(1)</script>", "inline <script>"),
    ('<button onclick="go()">Go</button>', "inline event handler"),
    ("<pre>Traceback (most recent call last):</pre>", "disclosure"),
    ("<p>(psycopg.errors.UniqueViolation)</p>", "disclosure"),
    ("<p>served by 192.168.1.20</p>", "private IP"),
])
def test_each_rule_catches_its_example(html, problem):
    assert any(problem in found for found in html_problems(html))


def test_a_clean_page_passes():
    html = ('<form method="post" action="/x"><input type="hidden" name="csrf_token" value="t"></form>'
            '<script src="/static/app.js" defer></script><link rel="stylesheet" href="/static/app.css">')
    assert html_problems(html) == []
