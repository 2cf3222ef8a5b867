# SPDX-License-Identifier: GPL-2.0-or-later
"""A Flask application with the extensions operators use for access control:
Flask-HTTPAuth (Basic and token), Flask-Login, Flask-Limiter.
Run: flask_app.py PORT."""

import sys

from flask import Flask
from flask_httpauth import HTTPBasicAuth, HTTPTokenAuth
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, login_required

app = Flask(__name__)
app.secret_key = "probewise-real-suite-shared-key-0123456789"
basic = HTTPBasicAuth()
token = HTTPTokenAuth(scheme="Bearer")
login = LoginManager(app)
limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")


@basic.verify_password
def verify_password(username, password):
    return username if (username, password) == ("monitor", "secret") else None


@token.verify_token
def verify_token(value):
    return "monitor" if value == "good-token" else None


@login.user_loader
def load_user(user_id):
    return None


@app.route("/basic")
@basic.login_required
def basic_only():
    return "hello"


@app.route("/token")
@token.login_required
def token_only():
    return "hello"


@app.route("/login")
@login_required
def login_only():
    return "hello"


@app.route("/limited")
@limiter.limit("1 per day")
def limited():
    return "hello"


if __name__ == "__main__":
    import logging
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.run(host="127.0.0.1", port=int(sys.argv[1]))
