"""A dataset at ten times the real platform's size, on SQLite or PostgreSQL, in well under a minute.

    python -m benchmarks.generate --database sqlite --profiles 20000

For N published profiles (domain.md §10: 20,000): 70 % cluster organisations (90 % of them in
EU/COSME countries, each with its list of members: 15 N listed members in all), 24 % members of
cluster organisations and 2 % each of the other three types; 2.5 N affiliations from members,
associations and partnerships to cluster organisations (skewed: a few clusters have hundreds);
plus the validators' queue (3 % N submitted, 1 % N with changes requested) and 5 % N drafts.
The schema comes from the migrations; rows go in with bulk inserts; the random generator is seeded.
"""
import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from benchmarks import answers as gen
from benchmarks.common import (
    APPLICANT_EMAIL,
    PASSWORD,
    PG_BASE,
    VALIDATOR_EMAIL,
    WORK,
    database_url,
    dataset_name,
    pg_schema,
    sqlalchemy_url,
)

BATCH = 5000
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def prepare_database(database: str, profiles: int) -> str:
    """A fresh, empty database migrated to head; returns its URL."""
    WORK.mkdir(parents=True, exist_ok=True)
    url = database_url(database, profiles)
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (WORK / f"{dataset_name(database, profiles)}.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        drop_pg_schema(profiles)
        engine = create_engine(sqlalchemy_url(PG_BASE))
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{pg_schema(profiles)}"'))
        engine.dispose()
    migrate(sqlalchemy_url(url))
    return url


def drop_pg_schema(profiles: int) -> None:
    engine = create_engine(sqlalchemy_url(PG_BASE))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{pg_schema(profiles)}" CASCADE'))
    engine.dispose()


def migrate(url: str) -> None:
    import os

    from flask_migrate import upgrade

    from config import TestingConfig
    from wizard import create_app
    from wizard.extensions import db

    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations"))
        db.engine.dispose()


class Builder:
    """Accumulates rows per table with explicit ids, so related rows can point at each other."""

    def __init__(self, seed: int, eu_codes: list[str], other_codes: list[str]):
        self.rng = random.Random(seed)
        self.eu_codes, self.other_codes = eu_codes, other_codes
        self.rows: dict[str, list[dict]] = {t: [] for t in (
            "users", "profiles", "profile_admins", "listed_members", "profile_ecosystems", "submissions",
            "affiliations")}
        self.samples: dict[str, dict] = {}
        try:
            from wizard.services.search_terms import terms_for
        except ImportError:  # before the members module landed
            terms_for = None
        self.terms_for = terms_for

    def ago(self, low_days: float, high_days: float) -> datetime:
        return NOW - timedelta(days=self.rng.uniform(low_days, high_days))

    def user(self, email: str, password_hash: str, role: str = "applicant") -> int:
        user_id = len(self.rows["users"]) + 1
        self.rows["users"].append({"id": user_id, "email": email, "password_hash": password_hash, "full_name": "",
                                   "role": role, "email_verified_at": self.ago(400, 800), "is_disabled": False,
                                   "password_changed_at": self.ago(400, 800), "created_at": self.ago(400, 800)})
        return user_id

    def profile(self, profile_type: str, status: str, owner: int, eu: bool) -> int:
        from wizard.matching import identifying_domain, normalise_name

        profile_id = len(self.rows["profiles"]) + 1
        country = self.rng.choice(self.eu_codes if eu else self.other_codes)
        if profile_type == "cluster_organisation":
            name, acronym, website = gen.cluster_identity(self.rng, profile_id)
        else:
            name, website, _domain = gen.company_identity(self.rng, profile_id)
            acronym = ""
        base = gen.common(self.rng, country, name, acronym, website)
        members = []
        if profile_type == "cluster_organisation" and eu:
            count = self.member_counts.pop() if self.member_counts else self.rng.randint(5, 40)
            members = self.rng.sample(self.companies, count)
            answers = gen.cluster_eu(self.rng, base, members)
        elif profile_type == "cluster_organisation":
            answers = gen.cluster_elsewhere(self.rng, base)
        else:
            answers = gen.other_type(self.rng, profile_type, base)
        self.samples.setdefault(profile_type + ("" if eu or profile_type != "cluster_organisation" else "_elsewhere"),
                                answers)
        submitted = status != "draft"
        submitted_at = self.ago(1, 700) if submitted else None
        self.rows["profiles"].append({
            "id": profile_id, "public_id": f"bench{profile_id:011d}{self.rng.getrandbits(40):010x}",
            "profile_type": profile_type, "status": status, "country_code": country, "name": name,
            "acronym": acronym, "website": website, "website_domain": identifying_domain(website),
            "normalised_name": normalise_name(name), "answers": answers, "version": self.rng.randint(8, 30),
            "owner_id": owner, "anon_key_hash": None, "criteria_waived": False,
            "created_at": (submitted_at or NOW) - timedelta(days=2), "updated_at": submitted_at or NOW,
            "submitted_at": submitted_at,
            "published_at": submitted_at + timedelta(days=3) if status == "published" else None,
        })
        self.rows["profile_admins"].append({"profile_id": profile_id, "user_id": owner, "created_at": NOW})
        self.search_terms(profile_id)
        for member_name, member_site, domain, normalised in members:
            self.rows["listed_members"].append({
                "id": len(self.rows["listed_members"]) + 1, "profile_id": profile_id, "name": member_name,
                "website": member_site, "website_domain": domain, "normalised_name": normalised})
        for ecosystem in answers.get("focus", {}).get("ecosystems", []):
            self.rows["profile_ecosystems"].append({"profile_id": profile_id, "ecosystem": ecosystem})
        if submitted:
            self.rows["submissions"].append({
                "id": len(self.rows["submissions"]) + 1, "profile_id": profile_id, "version": 1,
                "answers": answers, "submitted_by_id": owner, "submitted_at": submitted_at, "note": ""})
        return profile_id

    def search_terms(self, profile_id: int) -> None:
        """The picker's index (members module), as its flush listener would have written it."""
        if self.terms_for is None:
            return
        profile = self.rows["profiles"][-1]
        self.rows.setdefault("profile_search_terms", []).extend(
            {"term": term, "profile_id": profile_id}
            for term in self.terms_for(profile["name"], profile["acronym"], profile["website_domain"]))

    def plan_companies(self, count: int) -> None:
        """The organisations cluster lists name; a company may be listed by several clusters, as in life."""
        from wizard.matching import normalise_name

        companies = [gen.company_identity(self.rng, serial) for serial in range(count)]
        gen.check_domains(companies)
        self.companies = [(name, site, domain, normalise_name(name)) for name, site, domain in companies]

    def plan_member_lists(self, clusters: int, total: int) -> None:
        """Member-list lengths for `clusters` EU cluster organisations, summing to `total` (at least 5 each)."""
        weights = [self.rng.lognormvariate(0, 0.6) for _ in range(clusters)]
        spare = total - 5 * clusters
        counts = [5 + int(spare * w / sum(weights)) for w in weights]
        for i in self.rng.sample(range(clusters), total - sum(counts)):
            counts[i] += 1
        self.member_counts = counts

    def affiliations(self, member_side: list[tuple[int, float]], clusters: list[int], total: int) -> None:
        """`total` affiliations; each member-side profile gets at least one, the first approved."""
        popularity = [self.rng.paretovariate(1.2) for _ in clusters]
        weight_sum = sum(w for _, w in member_side)
        seen: set[tuple[int, int]] = set()
        for member_id, weight in member_side:
            wanted = max(1, round(total * weight / weight_sum))
            picks = self.rng.choices(clusters, weights=popularity, k=wanted * 2)
            for n, cluster_id in enumerate(dict.fromkeys(picks)):
                if n == wanted or len(self.rows["affiliations"]) == total:
                    break
                seen.add((member_id, cluster_id))
                self.affiliation(member_id, cluster_id, "approved" if n == 0 else None)
        while len(self.rows["affiliations"]) < total:  # rounding: top up with extra approved links
            pair = (self.rng.choice(member_side)[0], self.rng.choice(clusters))
            if pair not in seen:
                seen.add(pair)
                self.affiliation(*pair, status=None)

    def member_choices(self) -> None:
        """Members' "clusters" step names the cluster organisations their affiliations point at (as submitted)."""
        chosen: dict[int, list[str]] = {}
        for row in self.rows["affiliations"]:
            member = self.rows["profiles"][row["member_profile_id"] - 1]
            if member["profile_type"] == "cluster_member" and row["cluster_profile_id"] is not None:
                chosen.setdefault(member["id"], []).append(
                    self.rows["profiles"][row["cluster_profile_id"] - 1]["public_id"])
        for profile in self.rows["profiles"]:
            if profile["profile_type"] == "cluster_member":
                picks = chosen.get(profile["id"], [])[:10]
                # In place: the submission rows share these answers. Manual affiliations (3 %) would need a
                # stored proof upload; their members are left with "not listed" ticked and no proof step.
                step = {"clusters": picks} if picks else {"not_listed": "y"}
                profile["answers"]["clusters"] = gen.posted(step)
                profile["answers"]["logo"] = gen.posted({})

    def mark_listed(self) -> None:
        """profiles.listed, as wizard/services/visibility.py keeps it: published and, for a cluster member,
        an approved affiliation to a published cluster organisation or one typed in by hand."""
        profiles = self.rows["profiles"]
        counting = {row["member_profile_id"] for row in self.rows["affiliations"] if row["status"] == "approved"
                    and (row["cluster_profile_id"] is None
                         or profiles[row["cluster_profile_id"] - 1]["status"] == "published")}
        for profile in profiles:
            profile["listed"] = profile["status"] == "published" and (
                profile["profile_type"] != "cluster_member" or profile["id"] in counting)

    def affiliation(self, member_id: int, cluster_id: int, status: str | None) -> None:
        status = status or self.rng.choices(["approved", "pending", "declined", "ended"], [70, 20, 7, 3])[0]
        manual = self.rng.random() < 0.03
        created = self.ago(1, 600)
        self.rows["affiliations"].append({
            "id": len(self.rows["affiliations"]) + 1, "member_profile_id": member_id,
            "cluster_profile_id": None if manual else cluster_id,
            "manual_name": "Unlisted Cluster" if manual else "",
            "manual_website": "https://unlisted.eu" if manual else "",
            "manual_country_code": "DE" if manual else None, "proof_upload_id": None, "status": status,
            "decided_by_id": None, "decided_at": None if status == "pending" else created + timedelta(days=2),
            "decided_by_label": "" if status == "pending" else "cluster administrator",
            "ended_at": created + timedelta(days=90) if status == "ended" else None,
            "decision_note": "", "created_at": created})


def build(profiles: int, seed: int, eu_codes: list[str], other_codes: list[str], password_hash: str) -> Builder:
    b = Builder(seed, eu_codes, other_codes)
    validator = b.user(VALIDATOR_EMAIL, password_hash, role="validator")
    b.user(APPLICANT_EMAIL, password_hash)
    owners = [b.user(f"owner{i}@bench.example.eu", password_hash) for i in range(int(profiles * 0.8))]
    clusters = round(profiles * 0.70)
    eu_clusters = round(clusters * 0.9)
    others = {"cluster_member": round(profiles * 0.24), "association": round(profiles * 0.02),
              "partnership": round(profiles * 0.02)}
    others["works_with_clusters"] = profiles - clusters - sum(others.values())
    queue = {"submitted": round(profiles * 0.03), "changes_requested": round(profiles * 0.01)}
    b.plan_companies(max(500, profiles * 5))
    b.plan_member_lists(eu_clusters, profiles * 15)
    cluster_ids = [b.profile("cluster_organisation", "published", b.rng.choice(owners), eu=True)
                   for _ in range(eu_clusters)]
    for _ in range(clusters - eu_clusters):
        b.profile("cluster_organisation", "published", b.rng.choice(owners), eu=False)
    weights = {"cluster_member": 1.0, "association": 20.0, "partnership": 4.0}
    member_side = []
    for profile_type, count in others.items():
        for _ in range(count):
            profile_id = b.profile(profile_type, "published", b.rng.choice(owners), eu=b.rng.random() < 0.85)
            if profile_type in weights:
                member_side.append((profile_id, weights[profile_type]))
    for status, count in queue.items():
        for _ in range(count):
            b.profile("cluster_organisation", status, b.rng.choice(owners), eu=True)
    for _ in range(round(profiles * 0.05)):
        b.profile(b.rng.choice(list(weights)), "draft", b.rng.choice(owners), eu=True)
    b.affiliations(member_side, cluster_ids, round(profiles * 2.5))
    b.member_choices()
    b.mark_listed()
    b.validator_id = validator
    return b


def copy_rows(connection, table, rows: list[dict]) -> None:
    """PostgreSQL's COPY, several times faster than batched INSERTs; columns left out get their scalar default."""
    from sqlalchemy import JSON

    columns = list(rows[0])
    defaults = {c.name: c.default.arg for c in table.c
                if c.name not in columns and c.default is not None and c.default.is_scalar}
    as_json = {c.name for c in table.c if isinstance(c.type, JSON)}
    names = ", ".join(f'"{name}"' for name in [*columns, *defaults])
    with connection.connection.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in as_json else row[c] for c in columns] + list(defaults.values()))


def insert(url: str, rows: dict[str, list[dict]]) -> None:
    from wizard.extensions import db

    engine = create_engine(sqlalchemy_url(url))
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        if not postgres:
            connection.execute(text("PRAGMA foreign_keys=OFF"))
        for name, table_rows in rows.items():
            table = db.metadata.tables[name]
            unknown = set(table_rows[0]) - set(table.c.keys()) if table_rows else set()
            if unknown:  # a column this generator knows and the schema does not (yet): leave it out
                table_rows = [{k: v for k, v in row.items() if k not in unknown} for row in table_rows]
            if postgres and table_rows:
                copy_rows(connection, table, table_rows)
            else:
                for start in range(0, len(table_rows), BATCH):
                    connection.execute(table.insert(), table_rows[start:start + BATCH])
        if postgres:
            move_sequences(connection, [db.metadata.tables[name] for name in rows])
    if postgres:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            # Autovacuum would vacuum and analyse the new tables within a minute (PostgreSQL 13+ vacuums after
            # inserts too, which sets the visibility map index-only scans rely on); SQLite is left as a
            # deployment has it.
            for name in rows:  # this schema's tables only (a bare VACUUM walks the whole database)
                connection.execute(text(f'VACUUM (ANALYZE) "{name}"'))
    engine.dispose()


def move_sequences(connection, tables) -> None:
    """Rows went in with explicit ids: each id sequence continues after them."""
    for table in tables:
        if "id" in table.c:
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                    f"(SELECT coalesce(max(id), 1) FROM \"{table.name}\"))"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], action="append", required=True,
                        help="repeat to load the same rows into both")
    parser.add_argument("--profiles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL schema and exit")
    args = parser.parse_args()
    if args.drop:
        drop_pg_schema(args.profiles)
        return
    from wizard import passwords
    from wizard.countries import EU_COSME_SEED, all_countries

    started = time.monotonic()
    passwords.configure(None)  # argon2-cffi's defaults, as in production; one hash serves every account
    password_hash = passwords.hash_password(PASSWORD)
    other_codes = [code for code, _ in all_countries() if code not in EU_COSME_SEED]
    builder = build(args.profiles, args.seed, list(EU_COSME_SEED), other_codes, password_hash)
    built = time.monotonic() - started
    for database in args.database:
        started = time.monotonic()
        url = prepare_database(database, args.profiles)
        migrated = time.monotonic()
        insert(url, builder.rows)
        manifest = {
            "database": database, "profiles": args.profiles, "url": url, "seed": args.seed,
            "counts": {name: len(rows) for name, rows in builder.rows.items()},
            "published": sum(1 for p in builder.rows["profiles"] if p["status"] == "published"),
            "answers_check": check_answers(url, builder.samples, EU_COSME_SEED),
            "seconds": {"build rows (shared)": round(built, 1), "migrate": round(migrated - started, 1),
                        "insert": round(time.monotonic() - migrated, 1)},
        }
        (WORK / f"{dataset_name(database, args.profiles)}.json").write_text(json.dumps(manifest, indent=2))
        print(json.dumps(manifest))


def check_answers(url: str, samples: dict, eu_cosme_codes) -> dict[str, str]:
    from config import TestingConfig
    from wizard import create_app
    from wizard.extensions import db

    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url)})
    with app.app_context():
        verdicts = gen.check_samples(samples, lambda code: code in eu_cosme_codes)
        db.engine.dispose()
    return verdicts


if __name__ == "__main__":
    main()
