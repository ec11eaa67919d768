"""Two checkouts side by side: CPU per request of the same pages, in alternating rounds of one run.

`python -m benchmarks.versus BEFORE_DIR AFTER_DIR` (each a checkout whose `make bench` has generated
benchmarks/work/sqlite-20000.sqlite3). Each round runs, for each checkout in turn, a child process with that
checkout's code on a copy of its own 20,000-profile database, production settings, Flask's test client:
a visitor's new draft (start page, country step GET and POST, organisation step, check your answers), the
directory with a filter, the picker's type-ahead and the validators' queue. Alternating rounds put both under
the same load, so their ratio holds on a noisy machine; gunicorn and the network, which `make bench` also
counts, are left out. Python function calls per request (cProfile) are counted too: the same for the same
code and data whatever else the machine does, where milliseconds vary by 10-20 % between rounds here.
"""
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROUNDS = 5

CHILD = r'''
import json, os, re, shutil, sys, tempfile, time
work = tempfile.mkdtemp(prefix="versus-")
os.environ["WIZARD_INSTANCE_PATH"] = work
copy = os.path.join(work, "db.sqlite3")
shutil.copy("benchmarks/work/sqlite-20000.sqlite3", copy)
from benchmarks.common import PASSWORD, VALIDATOR_EMAIL, production_app
app = production_app(f"sqlite:///{copy}")
ORIGIN = {"Origin": "http://localhost"}

def token(response):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)

visitor = app.test_client()
csrf = token(visitor.get("/start/cluster_organisation"))
step = visitor.post("/start/cluster_organisation", data={"csrf_token": csrf}, headers=ORIGIN).headers["Location"]
country = {"csrf_token": csrf, "country": "DE", "action": "continue"}
organisation = visitor.post(step, data=country, headers=ORIGIN).headers["Location"]
check = step.rsplit("/", 1)[0] + "/check-answers"
validator = app.test_client()
signed = validator.post("/account/sign-in", headers=ORIGIN, data={
    "csrf_token": token(validator.get("/account/sign-in")), "email": VALIDATOR_EMAIL, "password": PASSWORD})
assert signed.status_code in (302, 303), signed.status_code
pages = {
    "start page": (visitor, "GET", "/", None, 200),
    "country step GET": (visitor, "GET", step, None, 200),
    "country step POST": (visitor, "POST", step, country, 302),
    "organisation step GET": (visitor, "GET", organisation, None, 200),
    "check your answers": (visitor, "GET", check, None, 200),
    "directory, country filter": (visitor, "GET", "/directory/?country=DE", None, 200),
    "picker type-ahead": (visitor, "GET", "/members/cluster-search?q=clu", None, 200),
    "validators' queue": (validator, "GET", "/validation/", None, 200),
}
import cProfile, pstats
result = {}
for name, (client, method, path, data, status) in pages.items():
    def once():
        response = client.post(path, data=data, headers=ORIGIN) if method == "POST" else client.get(path)
        assert response.status_code == status, (name, response.status_code)
    for _ in range(20):
        once()
    started = time.process_time()
    for _ in range(int(sys.argv[1])):
        once()
    cpu = (time.process_time() - started) / int(sys.argv[1]) * 1000
    # Python function calls per request: the same for the same code and data whatever the machine is doing.
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(20):
        once()
    profile.disable()
    result[name] = (cpu, pstats.Stats(profile).total_calls / 20)
shutil.rmtree(work, ignore_errors=True)
print(json.dumps(result))
'''


def run(checkout: Path, requests: int) -> dict[str, tuple[float, float]]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(requests)], cwd=checkout, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{checkout}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(before: str, after: str, requests: int = 150) -> None:
    trees = {"before": Path(before).resolve(), "after": Path(after).resolve()}
    rounds: dict[str, list[dict[str, tuple[float, float]]]] = {label: [] for label in trees}
    for _ in range(ROUNDS):
        for label, tree in trees.items():
            rounds[label].append(run(tree, requests))
    pages = list(rounds["before"][0])
    print(f"CPU ms per request, medians of {ROUNDS} alternating rounds of {requests} requests "
          f"(SQLite, 20,000 profiles, test client)")
    print("| page | CPU ms before | after | after ÷ before | Python calls before | after | after ÷ before |")
    print("|---|---|---|---|---|---|---|")
    for page in pages:
        b = statistics.median(r[page][0] for r in rounds["before"])
        a = statistics.median(r[page][0] for r in rounds["after"])
        calls_b, calls_a = rounds["before"][-1][page][1], rounds["after"][-1][page][1]
        print(f"| {page} | {b:.2f} | {a:.2f} | {a / b:.2f}× | {calls_b:,.0f} | {calls_a:,.0f} | "
              f"{calls_a / calls_b:.2f}× |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
