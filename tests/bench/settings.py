"""The settings `make bench` serves the site with: production's, unchanged, plus the floor view
in front of the site's URLs and a middleware that reports each request's queries and CPU time.

Everything production reads from the environment (SECRET_KEY, ALLOWED_HOSTS, the HTTPS
redirect and secure cookies, which the bench turns off because it speaks plain HTTP to
127.0.0.1) is set by tests/bench/run.py, not here.
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import MIDDLEWARE

ROOT_URLCONF = "tests.bench.urls"
# First, so it counts every query of the request, the session and user look-ups included.
MIDDLEWARE = ["tests.bench.middleware.measure", *MIDDLEWARE]
