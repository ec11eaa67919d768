"""Members and affiliations: cluster picker, affiliation decisions, pending members, co-administrators."""
from flask import Blueprint

bp = Blueprint("members", __name__)
