"""Administration: countries' EU/COSME status and validator accounts."""
from flask import Blueprint

bp = Blueprint("admin", __name__)
