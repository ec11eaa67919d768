"""gunicorn settings (read automatically from the working directory): `gunicorn wsgi:app`."""
import os

from wizard import log_masking

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# Uploads of 10 MB from slow connections must not be cut off by the default 30 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# A client that stops sending its body, or promised more than it sends, held a worker for `timeout` and then
# got gunicorn's own 500. Now a body may pause this long between two packets; then the read fails, and the app
# answers 400 (Werkzeug's ClientDisconnected). Behind nginx (deploy/nginx/) bodies arrive whole.
BODY_IDLE_TIMEOUT = float(os.environ.get("GUNICORN_BODY_IDLE_TIMEOUT", "15"))
# Each worker opens its own database connections after the fork.
preload_app = False

# E-mailed links carry their token in the path: no line of the access log, the error log or the app's own log
# may hold a usable link (ASVS 16.2.5). The workers are forked from this process and inherit the masking.
log_masking.install()


def pre_request(worker, req):
    sock = getattr(req.unreader, "sock", None)
    if sock is not None:
        sock.settimeout(BODY_IDLE_TIMEOUT)


def post_worker_init(worker):
    # "Booting worker" is logged before the app loads; this line says the worker can take requests
    # (the test suite's live servers wait for one per worker).
    worker.log.info("Worker ready (pid: %s)", worker.pid)
