"""The rules around requests: asking again after a decline, the per-cluster e-mail cap, and links that
are garbage, guessed or hammered."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.members.conftest import affiliation_between, decision_links
from tests.support.emails import queued_emails
from wizard.extensions import db
from wizard.models import Affiliation, ProfileStatus
from wizard.services import affiliations
from wizard.services.accounts import find_user_by_email
from wizard.services.submission import submit_draft
from wizard.tokens import TokenError


@pytest.fixture
def sisax(make_cluster, make_admin):
    return make_cluster(admins=[make_admin("anna@sisax.example")])


def test_a_declined_request_is_asked_again_by_a_resubmission(submitted_member, sisax, applicant):
    member = submitted_member(sisax)
    affiliations.decide(affiliation_between(member, sisax).id, "decline", find_user_by_email("anna@sisax.example"))
    old_links = decision_links("anna@sisax.example")
    member.status, member.version = ProfileStatus.CHANGES_REQUESTED.value, member.version + 1
    db.session.commit()
    submit_draft(member, applicant, member.version)
    again = affiliation_between(member, sisax)
    assert again.status == "pending" and again.decided_by_id is None
    assert len(queued_emails(to="anna@sisax.example", subject_contains="A membership request")) == 2
    assert decision_links("anna@sisax.example") != old_links


def test_a_cluster_no_longer_chosen_is_withdrawn(submitted_member, sisax, make_cluster, applicant):
    minalogic = make_cluster("Minalogic", "", "https://www.minalogic.com", "FR")
    member = submitted_member(sisax, minalogic)
    member.answers = {**member.answers, "clusters": {"clusters": [sisax.public_id], "_valid": True}}
    member.status, member.version = ProfileStatus.CHANGES_REQUESTED.value, member.version + 1
    db.session.commit()
    submit_draft(member, applicant, member.version)
    assert affiliation_between(member, sisax).status == "pending"
    assert affiliation_between(member, minalogic).status == "withdrawn"


@pytest.mark.config(AFFILIATION_EMAILS_PER_CLUSTER_PER_DAY=2)
def test_request_emails_to_one_cluster_are_capped_per_day(submitted_member, sisax):
    for n in range(4):
        submitted_member(sisax, name=f"Member {n}", website=f"https://member-{n}.example.de")
    assert len(queued_emails(to="anna@sisax.example")) == 2
    pending = db.session.scalars(select(Affiliation).where(Affiliation.status == "pending")).all()
    assert len(pending) == 4, "requests over the cap still wait on the Pending members page"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.one_of(st.text(max_size=120), st.binary(max_size=80).map(lambda b: b.hex())))
def test_no_string_decides_or_breaks_anything(app, garbage):
    with pytest.raises(TokenError):
        affiliations.affiliation_for_link(garbage)
    with pytest.raises(TokenError):
        affiliations.decide_by_link(garbage)


def test_mutated_links_are_refused_without_a_server_error(helper, submitted_member, sisax):
    member = submitted_member(sisax)
    value = decision_links("anna@sisax.example")["approve"].rsplit("/", 1)[1]
    mutations = {value[:n] for n in range(0, len(value), 7)} | {value + "=", value.upper(), value.lower(),
                                                                value.replace("-", "+"), value[::-1]}
    mutations |= {value[:i] + ("A" if value[i] != "A" else "B") + value[i + 1:] for i in range(0, len(value), 5)}
    for mutated in sorted(mutations - {value}):
        assert helper.client.get(f"/affiliations/decide/{mutated}").status_code in (404, 429)
    assert affiliation_between(member, sisax).status == "pending"


def test_the_link_page_is_rate_limited(client):
    codes = [client.get(f"/affiliations/decide/guess{n}").status_code for n in range(31)]
    assert codes[:30] == [404] * 30
    last = client.get("/affiliations/decide/guess-again")
    assert last.status_code == 429 and last.headers.get("Retry-After")


def test_a_proof_replaced_before_resubmission_goes_with_the_request(submitted_member, applicant, app):
    import io
    import os

    from werkzeug.datastructures import FileStorage

    from tests.members.test_affiliations import MANUAL_ROW
    from tests.uploads.corpus import pdf
    from wizard.models import Upload
    from wizard.services import uploads

    member = submitted_member(manual=[MANUAL_ROW])
    request = db.session.scalar(select(Affiliation).where(Affiliation.member_profile_id == member.id))
    old_proof, old_name = request.proof_upload_id, request.proof.storage_name
    new = uploads.accept(FileStorage(io.BytesIO(pdf()), "better.pdf"), uploads.PROOF, member, applicant)
    answers = dict(member.answers)
    answers["clusters_not_listed"] = {**answers["clusters_not_listed"], "manual_clusters-0-proof": [str(new.id)]}
    member.answers, member.status = answers, ProfileStatus.CHANGES_REQUESTED.value
    member.version += 1
    db.session.commit()
    submit_draft(member, applicant, member.version)
    db.session.expire_all()
    request = db.session.get(Affiliation, request.id)
    assert request.status == "pending" and request.proof.original_name == "better.pdf"
    assert db.session.get(Upload, old_proof) is None
    assert old_name not in os.listdir(app.config["UPLOAD_FOLDER"])
