"""Run several outbox senders at once, as several `flask outbox send` processes would."""
import threading

from flask import Flask

from wizard.extensions import db
from wizard.services.outbox import SendReport, send_due


def send_in_parallel(app: Flask, senders: int = 2, batch: int = 10) -> list[SendReport]:
    """Each sender is a thread with its own application context (so its own database session and
    connection), released at the same instant by a barrier, sending rounds until nothing is due.
    Returns one total report per sender; re-raises the first error a sender met."""
    barrier = threading.Barrier(senders, timeout=30)
    totals = [SendReport() for _ in range(senders)]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                while True:
                    report = send_due(limit=batch)
                    if not (report.sent or report.retried or report.failed):
                        break
                    totals[index].sent += report.sent
                    totals[index].retried += report.retried
                    totals[index].failed += report.failed
            except BaseException as error:  # handed to the test's thread
                errors.append(error)
                barrier.abort()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,), name=f"sender-{n}") for n in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a sender did not finish"
    if errors:
        raise errors[0]
    return totals
