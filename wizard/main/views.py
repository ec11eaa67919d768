"""The start page, the legal notices every applicant agrees to, and the site's icon."""
from flask import Blueprint, current_app, render_template, send_from_directory

from wizard.steps import profile_types
from wizard.taxonomies import CRITERIA_TEXTS, DEFINITIONS, WAIVER_TEXT

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    return render_template("main/index.html", profile_types=profile_types().values(), definitions=DEFINITIONS,
                           criteria=CRITERIA_TEXTS, waiver_text=WAIVER_TEXT)


# The three notices the consent on "Check your answers" names; linked from there and from every page's footer.
@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/terms")
def terms():
    return render_template("main/terms.html")


@bp.route("/data-protection")
def data_protection():
    return render_template("main/data_protection.html")


@bp.route("/favicon.ico")
def favicon():
    # Browsers and feed readers ask for /favicon.ico whatever the page links; pages link the SVG and this file.
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=86400)
