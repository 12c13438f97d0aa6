"""The password hasher: Argon2id at the cost OWASP recommends, chosen for a 2-core host where
a whole shift signs in at 8:00 (README, "Passwords").

Django's own Argon2 defaults (100 MiB, 8 lanes, ~180 ms of CPU here) and its PBKDF2 default
(1,000,000 iterations, ~190 ms of CPU here) each cost a sync worker a fifth of a second per
sign-in; 200 sign-ins in a minute would then take about a third of this machine's CPU and
queue every page behind them. Argon2id with m = 19 MiB, t = 2, p = 1 (OWASP Password Storage
Cheat Sheet, first choice) costs ~19 ms of CPU here and, being memory-hard, is still far more
expensive to guess on a GPU than PBKDF2 at ten times the CPU time.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id, 19 MiB, 2 passes, 1 lane. A hash made with other parameters (or by another
    hasher in PASSWORD_HASHERS) is rehashed with these at the person's next sign-in."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
