"""Configuration classes, one per environment; every setting can come from the environment."""
import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - production refuses to start with it


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


class Config:
    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # None means "SQLite in the instance folder", decided in create_app where the folder is known.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = _env_int("SQLITE_BUSY_TIMEOUT_MS", 5000)

    # The canonical address used in every e-mailed link: never built from the request's Host header.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    #: The modules that each declare one profile type (wizard/steps/__init__.py), in the start page's order.
    PROFILE_TYPES = (
        "wizard.steps.cluster_organisation",
        "wizard.steps.cluster_member",
        "wizard.steps.association",
        "wizard.steps.partnership",
        "wizard.steps.works_with_clusters",
    )
    TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS") or None
    #: Number of trusted proxies in front of the app (X-Forwarded-For/-Proto); 0 trusts none.
    PROXY_FIX_HOPS = _env_int("PROXY_FIX_HOPS", 0)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(days=_env_int("SESSION_DAYS", 7))
    # Applicants keep their work on the server, so they may idle longer than staff (ASVS 7.3).
    APPLICANT_IDLE_TIMEOUT = timedelta(hours=_env_int("APPLICANT_IDLE_HOURS", 24))
    STAFF_IDLE_TIMEOUT = timedelta(minutes=_env_int("STAFF_IDLE_MINUTES", 30))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=_env_int("SESSION_ABSOLUTE_HOURS", 12))

    # The CSRF token lives as long as the session: an hour-long form must not lose its answers.
    WTF_CSRF_TIME_LIMIT = None

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Cluster registration <no-reply@clusters.example>")
    MAIL_TIMEOUT_SECONDS = _env_int("MAIL_TIMEOUT_SECONDS", 20)
    OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 10)
    OUTBOX_LEASE_SECONDS = _env_int("OUTBOX_LEASE_SECONDS", 120)
    # Deliver right after each request in a background thread (development convenience only).
    OUTBOX_FLUSH_AFTER_REQUEST = _env_bool("OUTBOX_FLUSH_AFTER_REQUEST", False)
    DEV_OUTBOX_ENABLED = _env_bool("DEV_OUTBOX_ENABLED", False)
    VALIDATOR_EMAILS = _env_list("VALIDATOR_EMAILS")

    #: "file": UPLOAD_FOLDER (one host, or a volume all hosts share); "s3": an S3-compatible bucket
    #: (README.md, "Uploads in object storage"), so that several app hosts share the files.
    UPLOAD_STORAGE = os.environ.get("UPLOAD_STORAGE", "file")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")  # None: <instance>/uploads
    UPLOAD_S3_BUCKET = os.environ.get("UPLOAD_S3_BUCKET")
    UPLOAD_S3_PREFIX = os.environ.get("UPLOAD_S3_PREFIX", "uploads/")
    UPLOAD_S3_ENDPOINT_URL = os.environ.get("UPLOAD_S3_ENDPOINT_URL")  # None: AWS S3 itself
    UPLOAD_S3_REGION = os.environ.get("UPLOAD_S3_REGION")
    UPLOAD_S3_ADDRESSING_STYLE = os.environ.get("UPLOAD_S3_ADDRESSING_STYLE", "auto")  # "path" for MinIO, Ceph
    # None: boto3's own chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, an instance role).
    UPLOAD_S3_ACCESS_KEY_ID = os.environ.get("UPLOAD_S3_ACCESS_KEY_ID")
    UPLOAD_S3_SECRET_ACCESS_KEY = os.environ.get("UPLOAD_S3_SECRET_ACCESS_KEY")
    UPLOAD_S3_TIMEOUT_SECONDS = _env_int("UPLOAD_S3_TIMEOUT_SECONDS", 10)
    UPLOAD_S3_MAX_ATTEMPTS = _env_int("UPLOAD_S3_MAX_ATTEMPTS", 3)
    #: Where an upload is spooled before its PUT (None: the system's temporary folder).
    UPLOAD_SPOOL_FOLDER = os.environ.get("UPLOAD_SPOOL_FOLDER")
    UPLOAD_MAX_BYTES = _env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    # A little room above the file cap for the other fields of the multipart body.
    MAX_CONTENT_LENGTH = UPLOAD_MAX_BYTES + 512 * 1024
    MAX_FORM_MEMORY_SIZE = 500_000
    MAX_FORM_PARTS = 1000
    # A whole url-encoded body (MAX_FORM_PARTS counts its fields too). The largest real one, a list of 400
    # members with the longest names and websites, is about 350 KB; non-Latin names triple their share.
    MAX_URLENCODED_BYTES = _env_int("MAX_URLENCODED_BYTES", 2 * 1024 * 1024)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    SIGNIN_RATE_LIMIT = os.environ.get("SIGNIN_RATE_LIMIT", "10 per minute")
    #: E-mails a stranger can make us send (resume link, account exists, reset, confirmation, invitation,
    #: access request) to one address, whoever asks: wizard/services/mail_caps.py. Empty: no cap.
    MAIL_PER_RECIPIENT_LIMIT = os.environ.get("MAIL_PER_RECIPIENT_LIMIT", "3 per hour; 10 per day")
    ACCOUNT_THROTTLE_ATTEMPTS = _env_int("ACCOUNT_THROTTLE_ATTEMPTS", 5)
    ACCOUNT_THROTTLE_SECONDS = _env_int("ACCOUNT_THROTTLE_SECONDS", 60)

    VERIFY_EMAIL_MAX_AGE = _env_int("VERIFY_EMAIL_MAX_AGE", 48 * 3600)
    RESET_PASSWORD_MAX_AGE = _env_int("RESET_PASSWORD_MAX_AGE", 3600)
    RESUME_DRAFT_MAX_AGE = _env_int("RESUME_DRAFT_MAX_AGE", 30 * 24 * 3600)
    AFFILIATION_DECISION_MAX_AGE = _env_int("AFFILIATION_DECISION_MAX_AGE", 14 * 24 * 3600)
    COADMIN_INVITE_MAX_AGE = _env_int("COADMIN_INVITE_MAX_AGE", 7 * 24 * 3600)
    ANONYMOUS_DRAFT_DAYS = _env_int("ANONYMOUS_DRAFT_DAYS", 30)
    # Named in the privacy notice, terms of use and data protection notice (/privacy, /terms, /data-protection).
    DATA_CONTROLLER = os.environ.get(
        "DATA_CONTROLLER", "European Commission, Directorate-General for Internal Market, Industry, "
                           "Entrepreneurship and SMEs (DG GROW), 1049 Brussels, Belgium")
    DATA_PROTECTION_CONTACT = os.environ.get("DATA_PROTECTION_CONTACT", "data-protection@clusters.example")

    #: None: argon2-cffi's defaults. The suite sets OWASP's minimum to stay fast.
    ARGON2_PARAMS: dict | None = None
    BOOTSTRAP_SERVE_LOCAL = True
    HSTS = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEV_OUTBOX_ENABLED = _env_bool("DEV_OUTBOX_ENABLED", True)
    OUTBOX_FLUSH_AFTER_REQUEST = _env_bool("OUTBOX_FLUSH_AFTER_REQUEST", True)
    # With no SMTP server configured in development, mail stays in the outbox page only.
    MAIL_SUPPRESS_SEND = _env_bool("MAIL_SUPPRESS_SEND", "MAIL_SERVER" not in os.environ)


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105
    DEV_OUTBOX_ENABLED = True
    OUTBOX_FLUSH_AFTER_REQUEST = False
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 1  # tests that send mail point this at their own SMTP server
    MAIL_SUPPRESS_SEND = False
    ARGON2_PARAMS = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    HSTS = True
    DEV_OUTBOX_ENABLED = False


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("WIZARD_ENV", "development")]
