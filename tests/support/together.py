"""Run several calls at the same instant, as several browsers, workers or processes would."""
import threading
from collections.abc import Callable
from typing import TypeVar

from flask import Flask

from wizard.extensions import db

T = TypeVar("T")


def run_together(app: Flask, calls: list[Callable[[], T]], timeout: float = 60) -> list[T]:
    """Each call runs in a thread of its own with its own application context (so its own database
    session and connection); a barrier releases them together. Returns their results in the order of
    `calls` and re-raises the first error one of them met, in the test's thread."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        # The test client tidies the session of the application context it runs in: this thread's own.
        with app.app_context():
            try:
                barrier.wait()
                results[index] = calls[index]()
            except BaseException as error:  # handed to the test's thread
                errors.append(error)
                barrier.abort()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,), name=f"together-{n}") for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a call did not finish"
    if errors:
        raise errors[0]
    return results
