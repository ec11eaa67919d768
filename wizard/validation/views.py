"""The validators' workspace: queue, a submission's page, decisions."""
from flask import Blueprint

bp = Blueprint("validation", __name__)
