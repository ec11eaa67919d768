"""The validators' queue: who gets in, what it lists, its filters and pages, and its fixed query count."""
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from tests.validation.factory import bulk_submitted, submitted_profile
from wizard.extensions import db
from wizard.models import Profile
from wizard.models.base import utcnow
from wizard.services import search_terms, visibility
from wizard.validation import queue as queue_module


def _names(page) -> list[str]:
    return [row.select_one("td a").get_text(strip=True) for row in page.select("#results-heading ~ table tbody tr")]


@contextmanager
def count_queries():
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize("url", ["/validation/", "/validation/profiles/unknown"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/sign-in?next=")


def test_applicants_are_refused_and_staff_get_in(helper, sign_in, applicant, validator, admin_user):
    profile = submitted_profile(applicant)
    sign_in(applicant)
    for url in ("/validation/", f"/validation/profiles/{profile.public_id}"):
        helper.get(url, expected=403)
    response = helper.client.post(f"/validation/profiles/{profile.public_id}/decision",
                                  data={"decision": "publish", "version": str(profile.version)})
    assert response.status_code in (400, 403)  # CSRF or role: refused either way
    db.session.refresh(profile)
    assert profile.status == "submitted"
    for staff in (validator, admin_user):
        sign_in(staff)
        assert _names(helper.get("/validation/")) == ["Silicon Saxony e.V."]


def test_the_queue_lists_submissions_oldest_first_with_counts_by_status(helper, sign_in, applicant, validator):
    old = bulk_submitted(applicant, 1, start=1, days_ago=30)[0]
    new = bulk_submitted(applicant, 1, start=2, days_ago=2)[0]
    bulk_submitted(applicant, 3, start=10, status="published")
    bulk_submitted(applicant, 1, start=20, status="rejected")
    draft = Profile(profile_type="cluster_organisation", name="A private draft")
    db.session.add(draft)
    search_terms.follow(draft)
    db.session.commit()
    sign_in(validator)
    page = helper.get("/validation/")
    assert _names(page) == [old.name, new.name]
    counts = {row.th.get_text(strip=True): row.select("td")[0].get_text(strip=True)
              for row in page.select(".status-counts tbody tr")}
    assert counts == {"Submitted": "2", "Changes requested": "0", "Published": "3", "Rejected": "1", "Withdrawn": "0"}
    assert [m["value"] for m in page.select(".status-counts meter")] == ["67", "0", "100", "33", "0"]
    assert _names(helper.get("/validation/?order=newest")) == [new.name, old.name]
    # Memberships typed in by hand are decided on the members module's page, one click away.
    assert page.select_one("a[href='/members/manual-affiliations']") is not None
    assert "A private draft" not in helper.get("/validation/?status=any").text()


def test_counts_by_status_stop_at_the_cap(helper, sign_in, applicant, validator, monkeypatch):
    """Each status is counted up to STATUS_COUNT_CAP (published profiles number in the tens of thousands)."""
    monkeypatch.setattr(queue_module, "STATUS_COUNT_CAP", 3)
    bulk_submitted(applicant, 2)
    bulk_submitted(applicant, 5, start=10, status="published")
    sign_in(validator)
    page = helper.get("/validation/")
    counts = {row.th.get_text(strip=True): row.select("td")[0].get_text(strip=True)
              for row in page.select(".status-counts tbody tr")}
    assert (counts["Submitted"], counts["Published"]) == ("2", "more than 3")
    assert [m["value"] for m in page.select(".status-counts meter")][:3] == ["67", "0", "100"]


def test_filters_by_type_country_eu_cosme_status_and_age(helper, sign_in, applicant, validator):
    german = bulk_submitted(applicant, 1, start=1, country="DE", days_ago=20)[0]
    norwegian = bulk_submitted(applicant, 1, start=2, country="NO", days_ago=3)[0]
    member = bulk_submitted(applicant, 1, start=3, country="FR", days_ago=1, profile_type="cluster_member")[0]
    published = bulk_submitted(applicant, 1, start=4, country="DE", status="published")[0]
    sign_in(validator)
    assert _names(helper.get("/validation/?profile_type=cluster_member")) == [member.name]
    assert _names(helper.get("/validation/?country=NO")) == [norwegian.name]
    assert _names(helper.get("/validation/?eu_cosme=yes")) == [german.name, member.name]
    assert _names(helper.get("/validation/?eu_cosme=no")) == [norwegian.name]
    assert _names(helper.get("/validation/?older_than=10")) == [german.name]
    assert _names(helper.get("/validation/?older_than=2")) == [german.name, norwegian.name]
    assert _names(helper.get("/validation/?status=published")) == [published.name]
    assert set(_names(helper.get("/validation/?status=any"))) == {german.name, norwegian.name, member.name,
                                                                   published.name}
    combined = helper.get("/validation/?country=DE&status=any&profile_type=cluster_organisation&order=newest")
    assert _names(combined) == [published.name, german.name]
    assert combined.value_of("country") == "DE" and combined.value_of("order") == "newest"


BAD_FILTERS = ["older_than=soon", "older_than=-1", "older_than=99999", "status=draft", "profile_type=spaceship",
               "country=ZZ", "eu_cosme=maybe", "order=random"]


def test_a_bad_filter_is_a_clear_error_not_a_crash(helper, sign_in, applicant, validator):
    bulk_submitted(applicant, 2)
    sign_in(validator)
    for query in BAD_FILTERS:
        page = helper.get(f"/validation/?{query}", expected=400)
        assert len(page.error_summary) == 1, (query, page.error_summary)
        assert len(_names(page)) == 2  # the unfiltered queue is still there to work with


def test_the_queue_pages_by_25_and_keeps_the_filters(helper, sign_in, applicant, validator):
    bulk_submitted(applicant, 30, country="DE")
    bulk_submitted(applicant, 2, start=100, country="NO")
    sign_in(validator)
    first = helper.get("/validation/?country=DE")
    assert len(_names(first)) == 25 and _names(first)[0] == "Bulk cluster 0029"  # oldest = submitted longest ago
    assert "Profiles 1 to 25 of 30" in first.h1 + first.text()
    next_link = first.select_one("a[rel=next]")["href"]
    assert "country=DE" in next_link and "page=2" in next_link
    second = helper.get(next_link)
    assert len(_names(second)) == 5 and second.select_one("a[rel=prev]") is not None
    assert set(_names(first)).isdisjoint(_names(second))
    assert _names(helper.get("/validation/?country=DE&page=99")) == _names(second)
    assert _names(helper.get("/validation/?country=DE&page=nonsense")) == _names(first)


def test_the_number_of_queries_does_not_grow_with_the_queue(helper, sign_in, applicant, validator):
    bulk_submitted(applicant, 10)
    sign_in(validator)
    helper.get("/validation/")  # warm up: the sign-in's first request may refresh the session
    with count_queries() as small:
        helper.get("/validation/?status=any")
    bulk_submitted(applicant, 190, start=10)
    db.session.execute(update(Profile).where(Profile.id % 3 == 0).values(status="published"))
    visibility.follow(*db.session.scalars(select(Profile.id).where(Profile.id % 3 == 0)))
    db.session.commit()
    with count_queries() as large:
        page = helper.get("/validation/?status=any")
    assert len(_names(page)) == 25
    assert len(large) == len(small), (small, large)
    assert len(large) <= 8


def test_the_queue_links_to_each_submission(helper, sign_in, applicant, validator):
    profile = submitted_profile(applicant)
    db.session.execute(update(Profile).values(submitted_at=utcnow() - timedelta(days=4)))
    db.session.commit()
    sign_in(validator)
    page = helper.get("/validation/")
    row = page.select_one("#results-heading ~ table tbody tr")
    assert row.select_one("a")["href"] == f"/validation/profiles/{profile.public_id}"
    cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
    assert cells[1:] == ["Cluster organisation", "Germany EU/COSME", cells[3], "4", "Submitted"]
