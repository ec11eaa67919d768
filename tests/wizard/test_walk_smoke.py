"""A first walk through the cluster organisation wizard with the test client."""
from tests.wizard.answers import CLUSTER_EU


def test_cluster_organisation_eu_walk_to_submission(helper, client, applicant, sign_in, smtp_server, validator):
    page = helper.post("/start/cluster_organisation", {}, form_url="/start/cluster_organisation", expected=302)
    url = helper.redirect_target(page)
    public_id = url.split("/")[2]
    for step in ["country", "organisation", "contact", "management", "members", "member_list", "focus",
                 "activities", "support_programmes", "excellence_label"]:
        page_url = f"/drafts/{public_id}/{step}"
        helper.get(page_url)
        page = helper.post(page_url, {**CLUSTER_EU[step], "action": "continue"})
        assert page.status == 302, (step, page.error_summary)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/check-answers"
    check = helper.get(f"/drafts/{public_id}/check-answers")
    assert "Check your answers" in check.h1
    page = helper.post(f"/account/sign-in?next=/drafts/{public_id}/check-answers",
                       {"email": applicant.email, "password": "correct horse battery staple"}, expected=302)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/check-answers"
    check = helper.get(f"/drafts/{public_id}/check-answers")
    results = [row.get_text(" ", strip=True) for row in check.select("#self-check-heading ~ table tbody tr")]
    assert len(results) == 6, results
    form = {"version": check.value_of("version"), "consent": "y", "declaration": "y",
            "csrf_token": check.value_of("csrf_token")}
    page = helper.post(f"/drafts/{public_id}/check-answers", form)
    assert page.status == 302, page.error_summary
    replay = helper.post(f"/drafts/{public_id}/check-answers", form)
    assert replay.status == 302
    from wizard.services.outbox import send_due
    report = send_due()
    assert report.sent == 2, report
    smtp_server.take(to=validator.email, subject_contains="New profile to validate")
    smtp_server.take(to=applicant.email, subject_contains="received")
