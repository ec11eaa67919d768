"""Deciding whether two organisation records describe the same organisation (domain.md section 4).

A false match stops a member's registration with "you are already listed", so every rule here
errs towards "different" when unsure; validators catch the duplicates that slip through.
"""

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

import tldextract

_MAX_URL_LENGTH = 2048
_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def build_extractor() -> tldextract.TLDExtract:
    """A PSL extractor that never touches the network or the disk.

    An explicit empty `suffix_list_urls` also overrides TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS, so only
    the snapshot bundled with the pinned tldextract is used: reproducible, and no request at start-up.
    Private PSL entries are suffixes too, so foo.github.io and bar.github.io stay two organisations.
    """
    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True)


_EXTRACTOR = build_extractor()

# Platforms whose registrable domain hosts many unrelated organisations. Path-hosted ones
# (linkedin.com/company/x) never identify anyone; on subdomain-hosted ones the full host does.
PATH_HOSTED_DOMAINS: frozenset[str] = frozenset({
    "bit.ly", "europa.eu", "facebook.com", "fb.com", "github.com", "gitlab.com", "google.com",
    "instagram.com", "linkedin.com", "linktr.ee", "medium.com", "twitter.com", "wix.com", "x.com",
    "xing.com", "youtube.com",
})  # fmt: skip
SUBDOMAIN_HOSTED_DOMAINS: frozenset[str] = frozenset({
    "business.site", "hs-sites.com", "jimdo.com", "jimdofree.com", "jimdosite.com", "mystrikingly.com",
    "sharepoint.com", "site123.me", "squarespace.com", "strikingly.com", "tumblr.com", "webnode.com",
    "webnode.page", "weebly.com", "wordpress.com",
})  # fmt: skip


def _has_unsafe_chars(text: str) -> bool:
    return any(ch.isspace() or ch == "\\" or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in text)


def _ascii_host(host: str) -> str | None:
    """Lower-case IDNA (punycode) form of a DNS name, or None if it is not one."""
    host = host.rstrip(".").lower()
    if not host or _has_unsafe_chars(host):
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return ascii_host if all(_LABEL_RE.match(label) for label in ascii_host.split(".")) else None


def _ip(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def _hostname(url_or_host: str) -> str | None:
    if not isinstance(url_or_host, str):
        return None
    text = url_or_host.strip()
    if not text or len(text) > _MAX_URL_LENGTH:
        return None
    if "://" not in text:
        # Without a scheme, urlsplit reads "example.com:8080" as scheme "example.com".
        text = "http://" + text.removeprefix("//")
    try:
        return urlsplit(text).hostname
    except ValueError:
        return None


def _host_of(url_or_host: str) -> str | None:
    """The host as an IP address or lower-case ASCII DNS name, without "www." or a trailing dot."""
    host = _hostname(url_or_host)
    if not host:
        return None
    ip = _ip(host)
    if ip:
        return ip
    ascii_host = _ascii_host(host)
    return ascii_host.removeprefix("www.") if ascii_host else None


def registrable_domain(url_or_host: str) -> str | None:
    """The domain an organisation registered ("example.co.uk" for "https://www.Example.co.uk/x").

    Accepts a URL or a bare host; an IP address is returned as such. Internationalised names are
    returned in punycode so one organisation always yields one string. None for anything that is
    not a host under a public suffix (garbage, "localhost", a bare suffix such as "co.uk").
    """
    host = _host_of(url_or_host)
    if host is None:
        return None
    if _ip(host):
        return host
    return _EXTRACTOR(host).top_domain_under_public_suffix or None


def identifying_domain(url_or_host: str) -> str | None:
    """The domain that identifies one organisation, or None where a shared platform hosts it.

    Use this, not registrable_domain, for anything stored or indexed for duplicate detection.
    """
    domain = registrable_domain(url_or_host)
    if domain is None or domain in PATH_HOSTED_DOMAINS:
        return None
    if domain in SUBDOMAIN_HOSTED_DOMAINS:
        host = _host_of(url_or_host)
        return host if host and host != domain else None
    return domain


_TRANSLITERATIONS = str.maketrans({
    "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
    "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ß": "ss",
})  # fmt: skip  # letters NFKD does not decompose into a base letter

# Written as they read after normalisation: "S.A." and "SA" become "s a" and "sa", so both are
# listed. Suffixes only: as prefixes, tokens such as "AS", "SA" or "Co" too often start real
# names ("AS Roma", "Co-Creation Lab").
_ONE_WORD_FORMS = """
    gmbh ggmbh mbh ag kg kgaa ohg gbr ug eg ev ek se
    ltd limited llc llp lp plc inc incorporated corp corporation co pty cic clg dac teo
    sa sas sasu sarl eurl snc sl slu sau sll spa sapa srl srls scarl scrl lda crl ltda
    bv nv vof cvba bvba sprl asbl aisbl vzw ivzw
    oy oyj ry ab aps as asa amba ehf hf
    sro doo dd dooel shpk kft zrt nyrt bt ou mtu sia uab vsi ad ead ood eood ike ae epe oe sti
"""
_MULTI_WORD_FORMS = (
    "gmbh co kg", "ag co kg", "se co kg", "ug haftungsbeschrankt", "e v", "e k", "l l c", "p l c",
    "s a", "s a s", "s a r l", "s l", "s l u", "s a u", "s p a", "s r l", "s c a r l", "unipessoal lda",
    "b v", "n v", "a s b l", "v z w", "ab publ", "a s", "sp z o o", "spolka z o o", "sp j", "sp k",
    "s r o", "spol s r o", "o p s", "z s", "d o o", "d d", "ltd sti",
)  # fmt: skip
_LEGAL_FORMS: frozenset[tuple[str, ...]] = frozenset(
    [(form,) for form in _ONE_WORD_FORMS.split()] + [tuple(form.split()) for form in _MULTI_WORD_FORMS]
)
_LONGEST_FORM = max(len(form) for form in _LEGAL_FORMS)


def _strip_legal_forms(tokens: list[str]) -> list[str]:
    # Repeated, so "Acme Co. Ltd." loses both; never the last token, so a name that is only a
    # legal form keeps it.
    stripped = True
    while stripped:
        stripped = False
        for size in range(min(_LONGEST_FORM, len(tokens) - 1), 0, -1):
            if tuple(tokens[-size:]) in _LEGAL_FORMS:
                del tokens[-size:]
                stripped = True
                break
    return tokens


def normalise_name(name: str) -> str:
    """Comparable form of an organisation name: "Café Société S.A." -> "cafe societe"."""
    if not isinstance(name, str):
        return ""
    decomposed = unicodedata.normalize("NFKD", name.translate(_TRANSLITERATIONS))
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    tokens = "".join(ch if ch.isalnum() else " " for ch in text).split()
    return " ".join(_strip_legal_forms(tokens))


def same_organisation(a_name: str, a_website: str | None, b_name: str, b_website: str | None) -> bool:
    """True if both websites identify the same domain, or the normalised names are equal."""
    a_domain = identifying_domain(a_website or "")
    if a_domain is not None and a_domain == identifying_domain(b_website or ""):
        return True
    a_norm = normalise_name(a_name)
    return bool(a_norm) and a_norm == normalise_name(b_name)


def safe_http_url(value: str) -> bool:
    """True only for an absolute http(s) URL with a valid host, safe to put in an href.

    Rejects other schemes (javascript:, data:, file: ...), whitespace and control or invisible
    characters, backslashes (browsers read them as "/", urlsplit does not), credentials in the
    URL ("https://trusted.example@evil.example") and bad ports. It does not check that the host
    is public: combine with registrable_domain() for that.
    """
    if not isinstance(value, str) or not value or len(value) > _MAX_URL_LENGTH or _has_unsafe_chars(value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return False
    if parts.scheme not in {"http", "https"} or "@" in parts.netloc or not parts.hostname:
        return False
    return bool(_ip(parts.hostname) or _ascii_host(parts.hostname))
