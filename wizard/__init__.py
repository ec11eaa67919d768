"""The cluster registration wizard: create_app builds the application."""
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from config import DEFAULT_SECRET_KEY, Config, config_from_env
from wizard.extensions import bootstrap, csrf, db, limiter, login_manager, mail, migrate


def create_app(config: type[Config] | None = None, overrides: Mapping[str, Any] | None = None) -> Flask:
    from wizard import log_masking
    from wizard.request_body import CappedRequest

    log_masking.install()
    app = Flask(__name__, instance_path=os.environ.get("WIZARD_INSTANCE_PATH") or None)
    app.request_class = CappedRequest
    app.config.from_object(config or config_from_env())
    if overrides:
        app.config.update(overrides)
    _check_production_safety(app)
    if app.config.get("PROXY_FIX_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    from wizard import passwords

    passwords.configure(app.config.get("ARGON2_PARAMS"))
    _configure_paths(app)
    _configure_extensions(app)
    _register_blueprints(app)

    from wizard import cli, errors, security, steps, templating

    steps.init_app(app)

    errors.register(app)
    security.register(app)
    templating.register(app)
    cli.register(app)
    if app.config.get("OUTBOX_FLUSH_AFTER_REQUEST"):
        from wizard.services.outbox import flush_after_requests

        flush_after_requests(app)
    return app


def _check_production_safety(app: Flask) -> None:
    if app.config["ENV_NAME"] != "production":
        return
    secret = app.config.get("SECRET_KEY")
    if not secret or secret == DEFAULT_SECRET_KEY or len(secret) < 32:
        raise RuntimeError("Set SECRET_KEY to a random value of at least 32 characters before running in production.")
    if app.config.get("DEV_OUTBOX_ENABLED"):
        raise RuntimeError("The development outbox page cannot be enabled in production.")
    if app.config.get("RATELIMIT_ENABLED") and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        # Each worker would count on its own and let N times the limit through.
        raise RuntimeError("Set RATELIMIT_STORAGE_URI to a shared store (e.g. redis://127.0.0.1:6379) in production.")
    if not app.config.get("TRUSTED_HOSTS"):
        # Without it any Host header is answered: cache poisoning, and pages that name another site.
        raise RuntimeError("Set TRUSTED_HOSTS to the host names the site answers to (e.g. clusters.example).")
    app.config["DEV_OUTBOX_ENABLED"] = False


def _configure_paths(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        from wizard.database import sqlite_uri_in

        app.config["SQLALCHEMY_DATABASE_URI"] = sqlite_uri_in(app.instance_path)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://") or uri.startswith("postgres://"):
        # psycopg 3 is the driver; accept the plain URLs that hosting platforms hand out.
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]
    from wizard.database import engine_options

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"],
                                                             app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    from wizard.uploads import from_config

    # The one place that knows where files live (a folder or a bucket); everything else asks it.
    app.extensions["upload_storage"] = from_config(app.config)


def _configure_extensions(app: Flask) -> None:
    from wizard import models  # noqa: F401 - registers the tables with the metadata

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations"),
                     render_as_batch=True)
    mail.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            from wizard.database import configure_sqlite

            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _register_blueprints(app: Flask) -> None:
    from wizard.account.views import bp as account_bp
    from wizard.account.views import moved as account_moved_bp
    from wizard.admin.views import bp as admin_bp
    from wizard.auth.views import bp as auth_bp
    from wizard.dev.views import bp as dev_bp
    from wizard.directory.views import bp as directory_bp
    from wizard.main.views import bp as main_bp
    from wizard.members.views import bp as members_bp
    from wizard.registration.common import StepNameConverter
    from wizard.registration.views import bp as wizard_bp
    from wizard.validation.views import bp as validation_bp

    app.url_map.converters["step"] = StepNameConverter

    app.register_blueprint(main_bp)
    app.register_blueprint(wizard_bp)
    app.register_blueprint(members_bp)
    app.register_blueprint(validation_bp, url_prefix="/validation")
    app.register_blueprint(directory_bp, url_prefix="/directory")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(auth_bp, url_prefix="/account")
    app.register_blueprint(account_bp, url_prefix="/account")
    app.register_blueprint(account_moved_bp, url_prefix="/admin")
    if app.config["DEV_OUTBOX_ENABLED"]:
        app.register_blueprint(dev_bp, url_prefix="/dev")
