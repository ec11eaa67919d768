"""Members and affiliations: cluster picker actions, "already listed", file downloads, affiliation
decisions (by e-mailed link, on "Pending members", and the validators' manual affiliations) and
co-administrators. The routes live in the modules imported at the bottom, on this blueprint.

Importing this module (create_app does) also registers the member profile's submit hook and keeps
the picker's search terms current (wizard/services/affiliations.py, wizard/members/search.py).
"""
from flask import Blueprint

bp = Blueprint("members", __name__)

# Routes, and the side effects of importing the services (submit hook, flush listeners).
from wizard.members import (  # noqa: E402, F401
    admin_views,
    decision_views,
    draft_views,
    search,  # noqa: E402, F401
)
from wizard.services import affiliations, uploads  # noqa: E402, F401
