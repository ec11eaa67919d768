"""The yardstick: a bare Flask app returning a short page, served by the same gunicorn command."""
from flask import Flask

app = Flask(__name__)

PAGE = "<!doctype html><html lang=en><title>Bare</title><h1>Hello</h1><p>A short page.</p></html>"


@app.route("/")
def index():
    return PAGE
