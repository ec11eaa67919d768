"""Is the picker's own word index (profile_search_terms) worth keeping over a plain indexed LIKE 'word%'?

`python -m benchmarks.picker_index SQLITE_FILE` on a 20,000-profile dataset of benchmarks/generate.py. For each
query word: the picker's search as it is (every word of the name, acronym and domain, on the terms index), and
the alternative the developers' guide names, LIKE 'word%' on lower(name), lower(acronym) and the domain, each
with its own index. Prints the median milliseconds per search and how many of the picker's matches the
alternative finds.
"""
import statistics
import sys
import time

from sqlalchemy import Index, func, or_, select, text

WORDS = ["saxony", "sax", "aerospace", "alliance", "bavaria", "norte", "aerba", "digital", "agrifoodnorte"]
ROUNDS = 30


def _timed(run) -> tuple[float, object]:
    times, result = [], None
    for _ in range(ROUNDS):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main(path: str) -> None:
    from benchmarks.common import production_app
    from wizard.clusters import choosable
    from wizard.extensions import db
    from wizard.members.search import PER_PAGE, PICKER_CAP, search_clusters
    from wizard.models import Profile

    app = production_app(f"sqlite:///{path}")
    with app.app_context():
        indexes = [Index("bench_lower_name", func.lower(Profile.name)),
                   Index("bench_lower_acronym", func.lower(Profile.acronym)),
                   Index("bench_domain", Profile.website_domain)]
        for index in indexes:
            index.create(db.engine, checkfirst=True)
        db.session.execute(text("ANALYZE"))

        def like(word: str):
            pattern = f"{word}%"
            matches = choosable(select(Profile.public_id), eu_cosme_only=True).where(or_(
                func.lower(Profile.name).like(pattern), func.lower(Profile.acronym).like(pattern),
                Profile.website_domain.like(pattern)))
            ids = set(db.session.scalars(matches.limit(PICKER_CAP + 1)))
            page = list(db.session.scalars(choosable(select(Profile), eu_cosme_only=True).where(
                Profile.public_id.in_(ids)).order_by(Profile.name, Profile.id).limit(PER_PAGE)))
            return ids, page

        print("| word | terms index: ms | its matches | LIKE 'word%': ms | its matches | picker's matches it misses |")
        print("|---|---|---|---|---|---|")
        for word in WORDS:
            terms_ms, found = _timed(lambda word=word: search_clusters(word, 1))
            like_ms, (ids, _) = _timed(lambda word=word: like(word))
            everything = search_clusters(word, 1, per_page=PICKER_CAP)
            picker_ids = {profile.public_id for profile in everything.items}
            missed = len(picker_ids - ids)
            shown = f"{'>' if found.capped else ''}{found.total}"
            print(f"| {word} | {terms_ms:.2f} | {shown} | {like_ms:.2f} | {len(ids)} | {missed} of {len(picker_ids)} |")
        for index in indexes:
            index.drop(db.engine)


if __name__ == "__main__":
    main(sys.argv[1])
