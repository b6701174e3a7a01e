"""Configuration: development secrets, production refusals, SQLite WAL, deploy checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run Python with only the given Meesaq variables, as a fresh process would start."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MEESAQ_", "DATABASE_"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "meesaq.settings", "PYTHONPATH": str(ROOT / "src")})
    clean.pop("SECRET_KEY", None)
    clean.pop("ALLOWED_HOSTS", None)
    clean.pop("DEBUG", None)
    clean.update(env)
    return subprocess.run(  # noqa: S603  # a fixed interpreter and our own code
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False
    )


SETUP = "import django; django.setup(); from django.conf import settings; "


def test_development_mode_creates_local_secrets_once(tmp_path: Path) -> None:
    env = {"MEESAQ_VAR_DIR": str(tmp_path)}
    first = _run(SETUP + "print(settings.SECRET_KEY)", env)
    second = _run(SETUP + "print(settings.SECRET_KEY)", env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    stored = json.loads((tmp_path / "dev-secrets.json").read_text())
    assert set(stored) == {"SECRET_KEY", "MEESAQ_ENCRYPTION_KEYS", "MEESAQ_BLIND_INDEX_KEY"}
    assert oct((tmp_path / "dev-secrets.json").stat().st_mode & 0o777) == "0o600"


def test_production_mode_refuses_to_start_without_secrets(tmp_path: Path) -> None:
    result = _run(SETUP, {"MEESAQ_MODE": "production", "MEESAQ_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "dev-secrets.json").exists()


def test_production_mode_refuses_debug_and_missing_hosts(tmp_path: Path) -> None:
    secrets = {
        "MEESAQ_MODE": "production",
        "MEESAQ_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "s" * 50,
        "MEESAQ_ENCRYPTION_KEYS": "k1:" + "A" * 43 + "=",
        "MEESAQ_BLIND_INDEX_KEY": "B" * 43 + "=",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/meesaq",
    }
    no_hosts = _run(SETUP, secrets)
    assert "ALLOWED_HOSTS is not set" in no_hosts.stderr
    debug = _run(SETUP, {**secrets, "ALLOWED_HOSTS": "meesaq.example.org", "DEBUG": "true"})
    assert "DEBUG must be off in production" in debug.stderr
    ready = _run(
        SETUP + "print(settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)",
        {**secrets, "ALLOWED_HOSTS": "meesaq.example.org"},
    )
    assert ready.returncode == 0, ready.stderr
    assert ready.stdout.split() == ["True", "31536000"]


def test_a_malformed_variable_gets_a_plain_message(tmp_path: Path) -> None:
    result = _run(SETUP, {"MEESAQ_VAR_DIR": str(tmp_path), "DEBUG": "perhaps"})
    assert "DEBUG must be true or false" in result.stderr


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    code = SETUP + (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = _run(code, {"MEESAQ_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal"


def test_deploy_check_names_each_problem_in_plain_words() -> None:
    with pytest.raises(SystemCheckError) as error:
        call_command("check", deploy=True)
    text = str(error.value)
    assert "Meesaq is in development mode" in text
    assert "Cookies may travel without HTTPS" in text


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_deploy_check_is_quiet_about_a_sound_production_setup() -> None:
    sound = {
        "PRODUCTION": True,
        "DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}},
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "MEESAQ_SMS_BACKEND": "http",
    }
    from meesaq.core.checks import production_settings

    with override_settings(**sound):
        assert production_settings() == []


def test_a_real_production_configuration_passes_the_deploy_check_with_no_warning(
    tmp_path: Path,
) -> None:
    production = {
        "MEESAQ_MODE": "production",
        "MEESAQ_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "a-long-random-production-secret-key-" + "x7Qp" * 10,
        "MEESAQ_ENCRYPTION_KEYS": "k1:" + "A" * 43 + "=",
        "MEESAQ_BLIND_INDEX_KEY": "B" * 43 + "=",
        "DATABASE_URL": "postgres://meesaq@db.internal:5432/meesaq",
        "ALLOWED_HOSTS": "meesaq.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://meesaq.example.org",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "MEESAQ_SMS_BACKEND": "http",
        "MEESAQ_SMS_API_URL": "https://sms.example.org/send",
        "MEESAQ_SMS_API_KEY": "gateway-key",
    }
    code = (
        "import sys; from meesaq.cli import main; "
        "sys.argv = ['meesaq', 'check', '--deploy', '--fail-level', 'WARNING']; main()"
    )

    result = _run(code, production)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
