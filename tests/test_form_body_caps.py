"""Url-encoded bodies are refused with a 413 before they are parsed when they carry more fields or bytes than
any of our forms (issue 14 item 8; F26); the largest real form still goes through."""
import io

import pytest

from tests.wizard import walk
from tests.wizard.answers import CLUSTER_EU, CLUSTER_EU_STEPS

URLENCODED = "application/x-www-form-urlencoded"


def post_body(client, body: bytes, url: str = "/account/sign-in"):
    return client.post(url, data=body, content_type=URLENCODED)


def test_a_million_tiny_fields_get_413_without_being_read(app, client):
    """Refused from the Content-Length alone; the time it takes is measured against gunicorn, where the test
    client's own copying of 10 MB does not count (tests/reliability/test_slow_clients.py)."""
    body = io.BytesIO(b"&".join(b"f%d=1" % n for n in range(1_000_000)))
    length = len(body.getvalue())
    assert 9_000_000 < length < app.config["MAX_CONTENT_LENGTH"]  # refused by this cap, not the upload cap
    response = client.post("/account/sign-in", input_stream=body, content_length=length, content_type=URLENCODED)
    assert response.status_code == 413
    assert "larger than any form of this site accepts" in response.get_data(as_text=True)
    assert body.tell() == 0


@pytest.mark.parametrize("body", [
    b"&".join(b"f%d=x" % n for n in range(1001)),  # MAX_FORM_PARTS is 1000, as for multipart bodies
    b"&" * 5000,  # empty fields cost a parser as much as full ones
    b"email=" + b"a" * (2 * 1024 * 1024),  # past MAX_URLENCODED_BYTES with a single field
], ids=["1001 fields", "5000 separators", "2 MB field"])
def test_too_many_fields_or_bytes_get_413(client, body):
    response = post_body(client, body)
    assert response.status_code == 413


def test_a_body_sent_without_content_length_is_capped_too(client):
    """Chunked bodies have no Content-Length: the cap is counted while reading, never past it."""
    body = io.BytesIO(b"a=" + b"x" * (3 * 1024 * 1024))
    response = client.post("/account/sign-in", input_stream=body, content_type=URLENCODED,
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert body.tell() <= 2 * 1024 * 1024 + 64 * 1024


def test_the_largest_real_form_still_saves(helper):
    """400 members with the longest names (in Greek: six bytes per letter once encoded) and long websites."""
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:5])
    page = helper.get(f"/drafts/{public_id}/member-list")
    rows = {}
    for n in range(400):
        rows[f"member_list-{n}-member_name"] = ("Συνεργατικός σχηματισμός " * 12)[:296] + f"{n:04d}"
        rows[f"member_list-{n}-member_website"] = f"https://member{n}.example.eu/" + "a" * 400
    page = walk.post_from(helper, page, f"/drafts/{public_id}/member-list", rows)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/focus"
    saved = walk.stored(public_id, "member_list")
    assert saved["member_list-399-member_name"] == [rows["member_list-399-member_name"]]
