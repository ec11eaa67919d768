"""Saving a step: what was stored by another tab in the meantime is kept, and the saved row is the whole truth."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select, update

from tests.wizard import walk
from tests.wizard.answers import CLUSTER_EU
from wizard.extensions import db
from wizard.models import Profile
from wizard.models.affiliations import ProfileSearchTerm
from wizard.services import drafts, duplicates


def _stored_row(public_id: str) -> dict:
    """The row as the database holds it, read on a connection of its own."""
    with db.engine.connect() as connection:
        return connection.execute(select(Profile.__table__).where(Profile.public_id == public_id)).mappings().one()


def test_a_step_saved_from_an_older_copy_keeps_the_step_another_tab_saved(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.fill(helper, public_id, "country", {"country": "DE"})
    older_copy = walk.profile_of(public_id)  # what a request loaded before the other tab's save landed
    version_loaded = older_copy.version
    # The other tab's save, through another worker's connection.
    other_tab = {**older_copy.answers, "organisation": {"name": ["Silicon Saxony e.V."], "_valid": True}}
    with db.engine.begin() as connection:
        connection.execute(update(Profile.__table__).where(Profile.public_id == public_id)
                           .values(answers=other_tab, version=version_loaded + 1))

    step = drafts.path_for(older_copy).get("country")
    answers = drafts.save_step(older_copy, step, {"country": ["AT"]}, True)

    row = _stored_row(public_id)
    assert row["answers"]["organisation"] == {"name": ["Silicon Saxony e.V."], "_valid": True}
    assert row["answers"]["country"] == {"country": ["AT"], "_valid": True}
    assert row["version"] == version_loaded + 2  # the other tab's save, then this one
    assert row["country_code"] == "AT" and row["name"] == "Silicon Saxony e.V."
    # What the request goes on with is what was stored, without reading it back.
    assert answers == row["answers"] == older_copy.answers
    assert (older_copy.version, older_copy.country_code, older_copy.name) == (row["version"], "AT", row["name"])


def test_a_saved_step_updates_the_searched_columns_and_the_version(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.fill(helper, public_id, "country", {"country": "DE"})
    before = _stored_row(public_id)
    walk.fill(helper, public_id, "organisation", {**CLUSTER_EU["organisation"], "name": "  Ésprit Cluster  ",
                                                  "website": "https://www.esprit.example.de/about"})
    row = _stored_row(public_id)
    assert row["version"] == before["version"] + 1 and row["updated_at"] >= before["updated_at"]
    assert (row["name"], row["acronym"], row["country_code"]) == ("Ésprit Cluster", "SiSax", "DE")
    assert row["website"] == "https://www.esprit.example.de/about" and row["website_domain"] == "example.de"
    assert row["normalised_name"] == "esprit cluster"


def test_acknowledging_a_possible_duplicate_counts_as_a_change(helper):
    """A step saved from a copy loaded before the acknowledgement must not drop it."""
    public_id = walk.start(helper, "cluster_organisation")
    walk.fill(helper, public_id, "country", {"country": "DE"})
    profile = walk.profile_of(public_id)
    version = profile.version
    duplicates.acknowledge_different(profile, [])
    assert _stored_row(public_id)["version"] == version + 1


@contextmanager
def autocommit_flags():
    """Whether each statement sent in the block ran outside a transaction (the driver's autocommit)."""
    flags: list[bool] = []

    def record(conn, *_):
        flags.append(conn.connection.dbapi_connection.autocommit)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield flags
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.postgres
def test_a_step_page_reads_the_draft_outside_a_transaction_on_postgresql(helper):
    """No BEGIN and ROLLBACK around the one SELECT of a step page: two round trips fewer per page."""
    public_id = walk.start(helper, "cluster_organisation")
    walk.fill(helper, public_id, "country", {"country": "DE"})
    with autocommit_flags() as page_flags:
        page = helper.get(f"/drafts/{public_id}/organisation")
    assert page.h1 == "Organisation"
    assert page_flags and all(page_flags), page_flags
    # Saving the step is a transaction again, on the same pooled connections.
    token = page.value_of("csrf_token")
    with autocommit_flags() as save_flags:
        helper.post(f"/drafts/{public_id}/organisation",
                    {**CLUSTER_EU["organisation"], "csrf_token": token, "action": "continue"}, expected=302)
    assert save_flags and not any(save_flags), save_flags


def _terms(public_id: str) -> set[str]:
    profile = walk.profile_of(public_id)
    return set(db.session.scalars(select(ProfileSearchTerm.term).where(ProfileSearchTerm.profile_id == profile.id)))


def test_saving_the_organisation_step_keeps_the_pickers_search_terms_current(helper):
    """A cluster organisation registered through the wizard is found by its name, acronym and website."""
    public_id = walk.start(helper, "cluster_organisation")
    walk.fill(helper, public_id, "country", {"country": "DE"})
    walk.fill(helper, public_id, "organisation", CLUSTER_EU["organisation"])
    assert {"silicon", "saxony", "sisax", "silicon-saxony.de"} <= _terms(public_id)
    walk.fill(helper, public_id, "organisation", {**CLUSTER_EU["organisation"], "name": "Cool Silicon",
                                                  "acronym": "CoolSi", "website": "https://www.cool-silicon.de"})
    terms = _terms(public_id)
    assert {"cool", "silicon", "coolsi", "cool-silicon.de"} <= terms and not {"saxony", "sisax"} & terms
