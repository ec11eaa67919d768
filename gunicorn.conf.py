"""gunicorn settings (read automatically from the working directory): `gunicorn wsgi:app`."""
import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# Uploads of 10 MB from slow connections must not be cut off by the default 30 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# Each worker opens its own database connections after the fork.
preload_app = False

# E-mailed links carry their token in the path; an access log must not hold usable links (ASVS 16.2.5).
_TOKEN = re.compile(r"[A-Za-z0-9_\-.]{40,}")


class TokenMaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q"):
            if key in atoms and isinstance(atoms[key], str):
                atoms[key] = _TOKEN.sub("[token]", atoms[key])
        return atoms


logger_class = TokenMaskingLogger


def post_worker_init(worker):
    # "Booting worker" is logged before the app loads; this line says the worker can take requests
    # (the test suite's live servers wait for one per worker).
    worker.log.info("Worker ready (pid: %s)", worker.pid)
