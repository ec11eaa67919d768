"""The headers every response must carry (reliability.md HD-1, HD-2), as a list of what is wrong."""

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
    if not path.startswith(("/static/", "/bootstrap/static/")) and "no-store" not in headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control {headers.get('Cache-Control')!r} on a page")
    if headers.get("X-Powered-By") or any(ch.isdigit() for ch in headers.get("Server", "")):
        problems.append(f"server version disclosed: {headers.get('Server')} {headers.get('X-Powered-By')}")
    if response.status_code != 204 and response.status_code != 304 and not headers.get("Content-Type"):
        problems.append("no Content-Type")
    return problems
