import pytest

from tests.support.speed import compile_templates_once


@pytest.fixture(autouse=True)
def _templates_compiled_once(app):
    compile_templates_once(app)
