"""The start page."""
from flask import Blueprint, render_template

from wizard.taxonomies import CRITERIA_TEXTS, DEFINITIONS, PROFILE_TYPES, WAIVER_TEXT

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    return render_template("main/index.html", profile_types=PROFILE_TYPES, definitions=DEFINITIONS,
                           criteria=CRITERIA_TEXTS, waiver_text=WAIVER_TEXT)
