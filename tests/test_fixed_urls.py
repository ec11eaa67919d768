"""The layout's links follow the script root the app is mounted under."""
import re


def _layout_links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/[^"]*)"', html)


def test_layout_links_follow_the_script_root(client):
    at_root = client.get("/").text
    mounted = client.get("/", base_url="http://localhost/registration/").text
    again_at_root = client.get("/").text
    assert "/static/app.css" in _layout_links(at_root)
    assert "/registration/static/app.css" in _layout_links(mounted)
    assert "/registration/static/app.js" in _layout_links(mounted)
    assert "/registration/account/sign-in" in _layout_links(mounted)
    assert not [link for link in _layout_links(mounted) if not link.startswith("/registration/")]
    # The first mount's links are not served to the other one from the cache.
    assert _layout_links(again_at_root) == _layout_links(at_root)
    assert not [link for link in _layout_links(again_at_root) if link.startswith("/registration/")]
