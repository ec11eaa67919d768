import pycountry
import pytest

from wizard import countries as c


def test_every_iso_country_plus_kosovo():
    codes = [code for code, _ in c.all_countries()]
    assert len(codes) == len(set(codes)) == len(pycountry.countries) + 1
    assert set(codes) == {x.alpha_2 for x in pycountry.countries} | {"XK"}


def test_sorted_accent_insensitively():
    names = [name for _, name in c.all_countries()]
    assert names == sorted(names, key=c.sort_key)
    assert names.index("Afghanistan") < names.index("Åland Islands") < names.index("Albania")
    assert names.index("Tunisia") < names.index("Türkiye") < names.index("Turkmenistan")
    assert names.index("Kenya") < names.index("Kosovo") < names.index("Kuwait")


def test_all_countries_returns_a_copy():
    first = c.all_countries()
    first.clear()
    assert c.all_countries()


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("XK", "Kosovo"),
        ("GR", "Greece"),
        ("TR", "Türkiye"),
        ("AX", "Åland Islands"),
        ("MD", "Moldova"),  # common name rather than "Moldova, Republic of"
        ("MK", "North Macedonia"),
        ("DE", "Germany"),
        ("EL", "EL"),  # EU texts' code for Greece is not an ISO code
        ("ZZ", "ZZ"),
        ("", ""),
    ],
)
def test_country_name(code, name):
    assert c.country_name(code) == name


@pytest.mark.parametrize(("code", "known"), [("XK", True), ("GR", True), ("NO", True), ("EL", False), ("gr", False)])
def test_is_known_country(code, known):
    assert c.is_known_country(code) is known


def test_seed_sizes():
    assert len(c.EU_MEMBER_STATES) == len(set(c.EU_MEMBER_STATES)) == 27
    assert len(c.EU_COSME_SEED) == len(set(c.EU_COSME_SEED)) == 38


def test_seed_members():
    seed = set(c.EU_COSME_SEED)
    assert {"IS", "AL", "BA", "ME", "MK", "RS", "TR", "AM", "MD", "UA", "XK"} <= seed
    assert {"GR", "DE", "FR", "HR", "CY"} <= seed
    assert not seed & {"NO", "LI", "GB", "EL", "CH"}


@pytest.mark.parametrize("code", c.EU_COSME_SEED)
def test_every_seed_code_is_a_known_country(code):
    assert c.is_known_country(code)
