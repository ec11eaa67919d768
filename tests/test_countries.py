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


def test_every_country_offered_is_in_exactly_one_region():
    """The countries checkboxes are grouped by region (wizard/data/country-regions.txt): none may be missing."""
    placed = [code for _, members in c.countries_by_region() for code, _ in members]
    assert sorted(placed) == sorted(code for code, _ in c.all_countries())
    assert len(placed) == len(set(placed))


@pytest.mark.parametrize(("code", "region"), [("DE", "Western Europe"), ("CY", "Southern Europe"),
                                              ("XK", "Southern Europe"), ("PL", "Eastern Europe"),
                                              ("IE", "Northern Europe"), ("TR", "Asia"), ("BR", "Americas"),
                                              ("NZ", "Oceania"), ("KE", "Africa")])
def test_regions(code, region):
    assert code in [code for code, _ in dict(c.countries_by_region())[region]]


def test_each_region_is_sorted_by_name():
    for _, members in c.countries_by_region():
        names = [name for _, name in members]
        assert names == sorted(names, key=c.sort_key)
