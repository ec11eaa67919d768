"""The vendored accessible-autocomplete: the pinned release's files, unchanged, with their licence, served
from our own origin (the CSP allows scripts from 'self' only) on the pages with a country question."""
import hashlib
import re
from pathlib import Path

from tests.wizard import walk
from tests.wizard.answers import WORKS_WITH, WORKS_WITH_STEPS

VENDOR = Path(__file__).resolve().parents[1] / "wizard" / "static" / "vendor" / "accessible-autocomplete"
VERSION = "3.0.1"


def test_the_files_are_the_pinned_release_with_its_licence():
    readme = (VENDOR / "README.md").read_text()
    assert readme.startswith(f"# accessible-autocomplete {VERSION}")
    assert f"npm pack accessible-autocomplete@{VERSION}" in readme
    assert "MIT License" in (VENDOR / "LICENSE.txt").read_text()
    for name in ("accessible-autocomplete.min.js", "accessible-autocomplete.min.css"):
        digest = hashlib.sha256((VENDOR / name).read_bytes()).hexdigest()
        assert re.search(rf"sha256  {digest}  {re.escape(name)}", readme), f"{name} differs from the release"


def test_country_pages_load_the_autocomplete_from_our_origin_and_others_do_not(helper):
    public_id = walk.start(helper, "works_with_clusters")
    scripts = []
    for step in WORKS_WITH_STEPS:
        page = helper.get(walk.step_url(public_id, step))
        scripts.append([s["src"] for s in page.soup.select("script[src]")])
        walk.fill(helper, public_id, step, WORKS_WITH[step])
    country, organisation, _, works_with = scripts[:4]  # the logo step after them asks no country
    for sources in (country, works_with):
        assert "/static/vendor/accessible-autocomplete/accessible-autocomplete.min.js" in sources
        assert "/static/countries.js" in sources
    assert not any("autocomplete" in src for src in organisation)
    with helper.client.get("/static/vendor/accessible-autocomplete/accessible-autocomplete.min.js") as served:
        assert served.status_code == 200 and len(served.data) > 50_000
