import pytest
from sqlalchemy import select

from wizard.extensions import db
from wizard.models import Country


@pytest.fixture
def restore_countries(app):
    """The countries table is kept between tests (seed data): put back what a test changed."""
    before = dict(db.session.execute(select(Country.code, Country.eu_cosme)).all())
    yield
    db.session.rollback()
    for country in db.session.scalars(select(Country)):
        country.eu_cosme = before[country.code]
    db.session.commit()


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str):
        result = runner.invoke(args=list(args))
        db.session.expire_all()
        return result

    return run
