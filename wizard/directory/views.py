"""The public directory of published profiles."""
from flask import Blueprint

bp = Blueprint("directory", __name__)
