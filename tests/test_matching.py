import socket

import pytest
import tldextract

from wizard import matching as m


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.Example.co.uk/path?x", "example.co.uk"),
        ("http://sub.example.com", "example.com"),
        ("EXAMPLE.com.", "example.com"),
        ("www.example.de:8080/x", "example.de"),
        ("  https://Example.com/#frag  ", "example.com"),
        ("//example.com/x", "example.com"),
        ("http://user:pw@Example.COM", "example.com"),
        ("foo.github.io", "foo.github.io"),
        ("münchen.de", "xn--mnchen-3ya.de"),
        ("XN--MNCHEN-3YA.DE", "xn--mnchen-3ya.de"),
        ("192.168.1.1", "192.168.1.1"),
        ("http://[::1]:80/", "::1"),
        ("", None),
        ("   ", None),
        ("garbage", None),
        ("localhost", None),
        ("co.uk", None),
        ("github.io", None),
        ("a b.com", None),
        ("example.com\\evil", None),
        ("http://[::1", None),
        ("http://exa_mple.com", None),
        ("x" * 3000 + ".com", None),
        (None, None),
    ],
)
def test_registrable_domain(value, expected):
    assert m.registrable_domain(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.example.com/about", "example.com"),
        ("https://www.linkedin.com/company/acme", None),
        ("https://sites.google.com/view/acme", None),
        ("https://acme.wordpress.com/", "acme.wordpress.com"),
        ("https://www.wordpress.com/", None),
        ("garbage", None),
    ],
)
def test_identifying_domain(value, expected):
    assert m.identifying_domain(value) == expected


def test_registrable_domain_stays_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("tldextract tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    # The library reads this at construction; our explicit empty list must win over it.
    monkeypatch.setenv("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "https://publicsuffix.invalid/list.dat")
    # Control: the patch does catch a fetch, so the assertions below prove something.
    with pytest.raises(AssertionError, match="network"):
        tldextract.TLDExtract(cache_dir=None)("example.com")
    extractor = m.build_extractor()
    assert extractor("https://www.example.co.uk/x").top_domain_under_public_suffix == "example.co.uk"
    assert extractor("foo.github.io").top_domain_under_public_suffix == "foo.github.io"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Acme GmbH", "acme"),
        ("ACME", "acme"),
        ("Café Société S.A.", "cafe societe"),
        ("cafe societe", "cafe societe"),
        ("Bio-Tech Ltd.", "bio tech"),
        ("Silicon Saxony e.V.", "silicon saxony"),
        ("Acme GmbH & Co. KG", "acme"),
        ("Acme Co., Ltd.", "acme"),
        ("Firma Sp. z o.o.", "firma"),
        ("Výrobce s.r.o.", "vyrobce"),
        ("Ørsted A/S", "orsted"),
        ("Straße AG", "strasse"),
        ("Łódź Tech S.p.A.", "lodz tech"),
        ("Cluster Lombardo S.c.a r.l.", "cluster lombardo"),
        ("  Multiple   spaces\tand\nlines  ", "multiple spaces and lines"),
        ("GmbH", "gmbh"),  # only a legal form: kept
        ("S.A.", "s a"),
        ("Sp. z o.o.", "sp z o o"),
        ("AS Roma", "as roma"),  # legal forms are stripped at the end only
        ("Co-Creation Lab", "co creation lab"),
        ("...", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_name(name, expected):
    assert m.normalise_name(name) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("Acme GmbH", None), ("ACME", None), True),
        (("Café Société S.A.", ""), ("cafe societe", ""), True),
        (("Acme", "https://www.example.com/en"), ("Totally different", "http://shop.example.com"), True),
        (("Acme", "https://www.Example.co.uk/path?x"), ("Other", "example.co.uk"), True),
        (("Acme GmbH", None), ("Acme Robotics GmbH", None), False),
        (("Acme", "https://example.com"), ("Acme Robotics", "https://example.org"), False),
        (("Foo", "https://foo.github.io"), ("Bar", "https://bar.github.io"), False),
        (("Foo", "https://www.linkedin.com/company/foo"), ("Bar", "https://www.linkedin.com/company/bar"), False),
        (("Foo", "https://foo.wordpress.com"), ("Bar", "https://bar.wordpress.com"), False),
        (("Foo", "garbage"), ("Bar", "garbage"), False),
        (("...", None), ("!!!", None), False),
        (("", None), ("", None), False),
    ],
)
def test_same_organisation(a, b, same):
    assert m.same_organisation(a[0], a[1], b[0], b[1]) is same
    assert m.same_organisation(b[0], b[1], a[0], a[1]) is same


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.com", True),
        ("http://example.com/path?q=1#top", True),
        ("HTTPS://EXAMPLE.COM/", True),
        ("https://münchen.de/", True),
        ("https://example.com:8443/", True),
        ("http://192.0.2.1/", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("file:///etc/passwd", False),
        ("ftp://example.com/", False),
        ("//example.com", False),
        ("example.com", False),
        ("http://", False),
        ("http:///path", False),
        ("http:example.com", False),
        ("https://exa mple.com", False),
        (" https://example.com", False),
        ("https://example.com/\n", False),
        ("https://example.com/\x00", False),
        ("https://example.com/\u202e", False),
        ("https://example.com\\@evil.example", False),
        ("https://trusted.example@evil.example/", False),
        ("https://example.com:99999/", False),
        ("https://example.com:port/", False),
        ("https://exa_mple.com/", False),
        ("https://" + "a" * 2100 + ".com", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_http_url(url, safe):
    assert m.safe_http_url(url) is safe
