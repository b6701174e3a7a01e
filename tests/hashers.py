"""A cheaper Argon2 for tests; production keeps Django's defaults."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with tiny cost parameters."""

    time_cost = 1
    memory_cost = 256
    parallelism = 1
