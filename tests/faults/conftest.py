import pytest

from tests.support.speed import compile_templates_once


@pytest.fixture(autouse=True)
def _templates_compiled_once(request):
    if "app" in request.fixturenames:
        compile_templates_once(request.getfixturevalue("app"))
