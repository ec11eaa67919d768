"""What every response must carry (reliability.md HD-1, HD-2) and must not show (ZAP's passive rules),
as lists of what is wrong."""
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

REQUIRED_CSP = {
    "default-src": "'self'", "script-src": "'self'", "object-src": "'none'", "base-uri": "'none'",
    "frame-ancestors": "'none'", "form-action": "'self'",
}
SAME_EVERYWHERE = {
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def csp_directives(value: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in value.split(";"))):
        name, *values = directive.split()
        parsed[name.lower()] = values
    return parsed


def csp_problems(csp: dict[str, list[str]]) -> list[str]:
    if "sandbox" in csp:  # a downloaded file: sandboxed, nothing may load
        return [] if csp.get("default-src") == ["'none'"] else [f"download CSP without default-src 'none': {csp}"]
    problems = [f"CSP {name} is {csp.get(name)}, expected {value}" for name, value in REQUIRED_CSP.items()
                if csp.get(name) != [value]]
    if any("unsafe" in v for values in csp.values() for v in values):
        problems.append(f"CSP allows something unsafe: {csp}")
    return problems


def header_problems(response, path: str) -> list[str]:
    headers = response.headers
    problems = [f"{name}: {headers.get(name)!r}" for name, value in SAME_EVERYWHERE.items()
                if headers.get(name) != value]
    problems += csp_problems(csp_directives(headers.get("Content-Security-Policy", "")))
    if not headers.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if not headers.get("Permissions-Policy"):
        problems.append("no Permissions-Policy")
    static = path.startswith(("/static/", "/bootstrap/static/")) or path == "/favicon.ico"  # files, not pages
    if not static and "no-store" not in headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control {headers.get('Cache-Control')!r} on a page")
    if headers.get("X-Powered-By") or any(ch.isdigit() for ch in headers.get("Server", "")):
        problems.append(f"server version disclosed: {headers.get('Server')} {headers.get('X-Powered-By')}")
    if response.status_code != 204 and response.status_code != 304 and not headers.get("Content-Type"):
        problems.append("no Content-Type")
    return problems


# ZAP baseline's passive rules that look at bodies and cookies (reliability.md part 3.8): 10202 forms
# without an anti-CSRF token, 10017 scripts from other origins, 90022 and 10023 error and debug
# disclosure, 2 private IP disclosure, 10010 and 10054 cookies without HttpOnly or SameSite.
_DISCLOSURES = re.compile(r"Traceback \(most recent call last\)|sqlalchemy\.|psycopg|OperationalError|"
                          r"jinja2\.exceptions|werkzeug\.exceptions|File \"/", re.IGNORECASE)
_PRIVATE_IP = re.compile(r"\b(?:10\.\d{1,3}|192\.168|172\.(?:1[6-9]|2\d|3[01]))\.\d{1,3}\.\d{1,3}\b")


def body_problems(response) -> list[str]:
    problems = [f"cookie without HttpOnly or SameSite: {cookie.split('=')[0]}"
                for cookie in response.headers.getlist("Set-Cookie")
                if "httponly" not in cookie.lower() or "samesite" not in cookie.lower()]
    if response.content_type.startswith("text/html"):
        problems += html_problems(response.get_data(as_text=True))
    return problems


def html_problems(html: str) -> list[str]:
    problems = []
    if _DISCLOSURES.search(html):
        problems.append(f"error or debug disclosure: {_DISCLOSURES.search(html).group(0)!r}")
    if _PRIVATE_IP.search(html):
        problems.append(f"private IP address disclosed: {_PRIVATE_IP.search(html).group(0)}")
    page = BeautifulSoup(html, "html.parser")
    for form in page.find_all("form"):
        if form.get("method", "get").lower() == "post" and not form.find("input", attrs={"name": "csrf_token"}):
            problems.append(f"POST form to {form.get('action')!r} without a CSRF token")
    for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for element in page.find_all(tag, attrs={attribute: True}):
            if urlsplit(element[attribute]).netloc:
                problems.append(f"<{tag}> loads {element[attribute]} from another origin")
    if page.find("script", src=False):
        problems.append("inline <script> (the CSP would block it)")
    if page.find(lambda element: any(name.startswith("on") for name in element.attrs)):
        problems.append("inline event handler (the CSP would block it)")
    return problems
