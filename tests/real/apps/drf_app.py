# SPDX-License-Identifier: GPL-2.0-or-later
"""A Django REST framework API as operators deploy one: token, session and
JWT (djangorestframework-simplejwt) authentication, permission classes,
throttling, and django-health-check. Run: drf_app.py PORT WORKDIR."""

import os
import sys

PORT, WORK = int(sys.argv[1]), sys.argv[2]

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="probewise-real-suite-shared-key-0123456789",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                    "rest_framework", "rest_framework.authtoken", "health_check", "health_check.db"],
    MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware",
                "django.contrib.auth.middleware.AuthenticationMiddleware"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(WORK, "db.sqlite3")}},
    REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"anon": "1/day"}},
    SIMPLE_JWT={"SIGNING_KEY": "probewise-real-suite-shared-key-0123456789", "USER_ID_CLAIM": "user_id"},
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    USE_TZ=True,
)
django.setup()

from django.core.management import call_command
from django.urls import include, path
from rest_framework import authentication, permissions, throttling
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication


def view(auth, perms, throttles=()):
    class V(APIView):
        authentication_classes = auth
        permission_classes = perms
        throttle_classes = throttles

        def get(self, request):
            return Response({"ok": True})

    return V.as_view()


urlpatterns = [
    # TokenAuthentication ("Authorization: Token <key>") and IsAuthenticated.
    path("token/", view([authentication.TokenAuthentication], [permissions.IsAuthenticated])),
    # Session authentication only: no WWW-Authenticate, so DRF answers 403.
    path("session/", view([authentication.SessionAuthentication], [permissions.IsAuthenticated])),
    # Staff only.
    path("admin/", view([authentication.TokenAuthentication], [permissions.IsAdminUser])),
    # simplejwt bearer tokens.
    path("jwt/", view([JWTAuthentication], [permissions.IsAuthenticated])),
    # Anonymous throttling.
    path("throttled/", view([], [permissions.AllowAny], [throttling.AnonRateThrottle])),
    path("ht/", include("health_check.urls")),
]

if __name__ == "__main__":
    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token
    user = User.objects.create_user("monitor", password="secret")
    Token.objects.create(user=user, key="0123456789abcdef0123456789abcdef01234567")
    from wsgiref.simple_server import WSGIRequestHandler, make_server
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    make_server("127.0.0.1", PORT, get_wsgi_application(), handler_class=Quiet).serve_forever()
