"""Countries offered by the wizard (domain.md section 2).

Which countries count as EU/COSME is data in the database; this module only provides the
list of countries and the seed for that table.
"""

import unicodedata
from functools import cache
from pathlib import Path

import pycountry

# XK is a user-assigned code that ISO 3166-1 (and so pycountry) lacks, but Kosovo took part in
# COSME. The other overrides pin names the product shows whatever the pycountry release says.
_NAME_OVERRIDES: dict[str, str] = {
    "XK": "Kosovo",
    "GR": "Greece",
    "TR": "Türkiye",
}

EU_MEMBER_STATES: tuple[str, ...] = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip

# Non-EU countries that took part in COSME. Norway, Liechtenstein and the United Kingdom did
# not, so they are deliberately absent.
COSME_NON_EU: tuple[str, ...] = ("IS", "AL", "BA", "ME", "MK", "RS", "TR", "AM", "MD", "UA", "XK")

EU_COSME_SEED: tuple[str, ...] = EU_MEMBER_STATES + COSME_NON_EU


def sort_key(name: str) -> tuple[str, str]:
    """Locale-independent, accent-insensitive ordering ("Åland" with A, "Türkiye" with T).

    The server's locale is not ours to rely on, so no `locale.strxfrm`; the raw name breaks ties
    to keep the order total.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return base.casefold(), name


@cache
def _countries() -> tuple[tuple[str, str], ...]:
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names.update(_NAME_OVERRIDES)
    return tuple(sorted(names.items(), key=lambda item: sort_key(item[1])))


@cache
def _names() -> dict[str, str]:
    return dict(_countries())


def all_countries() -> list[tuple[str, str]]:
    """Every ISO 3166-1 country plus Kosovo as (alpha-2 code, display name), sorted by name."""
    return list(_countries())


def country_name(code: str) -> str:
    """Display name for a stored code; an unknown code is shown as itself."""
    return _names().get(code, code)


def is_known_country(code: str) -> bool:
    """Codes are stored upper-case, so "gr" is not accepted: callers normalise input first."""
    return code in _names()


_REGIONS_FILE = Path(__file__).parent / "data" / "country-regions.txt"


@cache
def countries_by_region() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(region, ((code, name), ...)) in the data file's order of regions, each region's countries by name."""
    regions = []
    for line in _REGIONS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            region, codes = line.split(":", 1)
            members = sorted(((code, country_name(code)) for code in codes.split()), key=lambda c: sort_key(c[1]))
            regions.append((region.strip(), tuple(members)))
    return tuple(regions)
