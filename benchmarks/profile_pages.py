"""Where a page's time goes, written down before changing it (issue 18: "profile first").

`python -m benchmarks.profile_pages` (after `make bench` has generated benchmarks/work/sqlite-20000.sqlite3):
the app in this process on a copy of that database, production settings, Flask's test client. For each page,
cProfile over 50 requests, and the share of the page's own time spent under each of a few groups of code
(routing and the WSGI layer, the session and sign-in, the view's queries, building forms, rendering templates,
WTForms widgets, url_for). Counted by the functions each group enters first, so a group's share includes what
it calls. Deterministic call counts, load-dependent seconds.
"""
import cProfile
import os
import pstats
import re
import shutil
import tempfile

GROUPS = {
    "templates (jinja2 render)": ("jinja2/environment.py", "render"),
    "WTForms widgets (html_params, option rendering)": ("wtforms/widgets/core.py", "__call__"),
    "url_for": ("flask/app.py", "url_for"),
    "database (SQLAlchemy execute)": ("sqlalchemy/orm/session.py", "execute"),
    "forms built and bound (wtforms Form.__init__)": ("wtforms/form.py", "__init__"),
    "session cookie (open_session)": ("flask/sessions.py", "open_session"),
    "sign-in (flask_login user loader)": ("flask_login/login_manager.py", "_load_user"),
}
REQUESTS = 50


def main() -> None:
    work = tempfile.mkdtemp(prefix="profile-")
    os.environ["WIZARD_INSTANCE_PATH"] = work
    shutil.copy("benchmarks/work/sqlite-20000.sqlite3", f"{work}/db.sqlite3")
    from benchmarks.common import PASSWORD, VALIDATOR_EMAIL, production_app

    app = production_app(f"sqlite:///{work}/db.sqlite3")
    origin = {"Origin": "http://localhost"}
    visitor = app.test_client()

    def token(response):
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)

    csrf = token(visitor.get("/start/cluster_organisation"))
    step = visitor.post("/start/cluster_organisation", data={"csrf_token": csrf}, headers=origin).headers["Location"]
    organisation = visitor.post(step, data={"csrf_token": csrf, "country": "DE", "action": "continue"},
                                headers=origin).headers["Location"]
    validator = app.test_client()
    validator.post("/account/sign-in", headers=origin, data={
        "csrf_token": token(validator.get("/account/sign-in")), "email": VALIDATOR_EMAIL, "password": PASSWORD})
    pages = {"start page": (visitor, "/"), "country step GET": (visitor, step),
             "organisation step GET": (visitor, organisation),
             "check your answers": (visitor, step.rsplit("/", 1)[0] + "/check-answers"),
             "directory, country filter": (visitor, "/directory/?country=DE"),
             "validators' queue": (validator, "/validation/")}
    print(f"Share of each page's time under each group, cProfile over {REQUESTS} requests (SQLite, 20,000 profiles)")
    print("| page | calls per request | " + " | ".join(GROUPS) + " |")
    print("|---|---|" + "---|" * len(GROUPS))
    for name, (client, path) in pages.items():
        for _ in range(10):
            client.get(path)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(REQUESTS):
            client.get(path)
        profile.disable()
        stats = pstats.Stats(profile)
        total = sum(tt for _, _, tt, _, _ in stats.stats.values())
        shares = []
        for suffix, function in GROUPS.values():
            cumulative = sum(ct for (file, _, func), (_, _, _, ct, _) in stats.stats.items()
                             if file.endswith(suffix) and func == function)
            shares.append(f"{cumulative / total:.0%}")
        print(f"| {name} | {stats.total_calls / REQUESTS:,.0f} | " + " | ".join(shares) + " |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
