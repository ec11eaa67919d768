"""The application factory honours its configuration."""
import pytest

from config import ProductionConfig, TestingConfig
from wizard import create_app


def test_testing_config_is_used(app):
    assert app.config["TESTING"] is True
    assert app.config["ENV_NAME"] == "testing"


@pytest.mark.parametrize("secret", [None, "", "dev-only-not-secret", "short"])
def test_production_refuses_a_missing_or_default_secret_key(secret, tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, {"SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_the_development_outbox(tmp_path):
    with pytest.raises(RuntimeError, match="outbox"):
        create_app(ProductionConfig, {"SECRET_KEY": "x" * 40, "DEV_OUTBOX_ENABLED": True, **PRODUCTION_LIMITS,
                                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


PRODUCTION_LIMITS = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "TRUSTED_HOSTS": ["clusters.example"]}


def test_production_refuses_per_process_rate_limits(tmp_path):
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app(ProductionConfig, {"SECRET_KEY": "x" * 40, "RATELIMIT_STORAGE_URI": "memory://",
                                      "TRUSTED_HOSTS": ["clusters.example"],
                                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


@pytest.mark.parametrize("hosts", [None, []])
def test_production_refuses_to_answer_any_host(hosts, tmp_path):
    with pytest.raises(RuntimeError, match="TRUSTED_HOSTS"):
        create_app(ProductionConfig, {"SECRET_KEY": "x" * 40, **PRODUCTION_LIMITS, "TRUSTED_HOSTS": hosts,
                                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_answers_only_its_trusted_hosts(tmp_path):
    app = create_app(ProductionConfig, {"SECRET_KEY": "x" * 40, **PRODUCTION_LIMITS, "RATELIMIT_ENABLED": False,
                                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    client = app.test_client()
    assert client.get("/account/sign-in", base_url="https://clusters.example").status_code == 200
    assert client.get("/account/sign-in", base_url="https://attacker.example").status_code == 400


def test_production_has_no_outbox_page_and_secure_cookies(tmp_path):
    app = create_app(ProductionConfig, {"SECRET_KEY": "x" * 40, **PRODUCTION_LIMITS,
                                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert "dev.outbox" not in app.view_functions
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAIL_USE_TLS"] is True


def test_overrides_win_over_the_class(tmp_path):
    app = create_app(TestingConfig, {"UPLOAD_MAX_BYTES": 123, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["UPLOAD_MAX_BYTES"] == 123


def test_postgres_urls_use_psycopg3(tmp_path):
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": "postgresql://u@127.0.0.1:5432/test"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
