"""`meesaq demo`: the demo province, its logins, and its refusal in production."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.demo import registry
from meesaq.demo.people import PeopleGenerator
from meesaq.demo.province import staff_person_seed
from meesaq.demo.registry import DemoContext, demo_step
from meesaq.geo.models import AdminUnit, Level
from meesaq.orgs.models import Membership, Organisation, OrganisationKind

PASSWORD_LINE = re.compile(r"^Password of every demo account: (.+?)  \(from ", re.MULTILINE)
WARNING = "Demo accounts skip two-factor sign-in; never use them for real cases."

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(tmp_path: Path) -> Iterator[Path]:
    """Keep the kept password in a folder of the test's own, with no configured password."""
    with override_settings(
        VAR_DIR=tmp_path, MEDIA_ROOT=tmp_path / "files", MEESAQ_DEMO_PASSWORD=""
    ):
        yield tmp_path


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def printed_password(output: str) -> str:
    match = PASSWORD_LINE.search(output)
    assert match is not None, output
    return match.group(1)


def district_and_province(organisation: Organisation) -> tuple[str, str]:
    pcodes = organisation.jurisdiction.path.split("/")
    return pcodes[-1], pcodes[0]


def test_it_creates_a_demo_user_of_every_role() -> None:
    run_demo()

    roles = set(
        Membership.objects.filter(user__is_demo=True, is_active=True).values_list("role", flat=True)
    )
    assert roles == set(Role.values)


def test_it_creates_every_organisation_kind_in_five_districts_of_two_provinces() -> None:
    run_demo()

    for kind in OrganisationKind.values:
        organisations = Organisation.objects.filter(
            kind=kind, jurisdiction__level=Level.DISTRICT
        ).select_related("jurisdiction")
        places = {district_and_province(organisation) for organisation in organisations}
        assert len({district for district, _ in places}) >= 5, kind
        assert len({province for _, province in places}) >= 2, kind


def test_organisations_have_english_and_urdu_names() -> None:
    run_demo()

    lahore = Organisation.objects.get(code="demo-lhr-police-centre")
    assert (lahore.name_en, lahore.name_ur) == ("Meesaq Centre Lahore", "میثاق سینٹر لاہور")
    for organisation in Organisation.objects.all():
        assert organisation.name_en
        assert organisation.name_ur


def test_district_offices_sit_under_their_provincial_department() -> None:
    run_demo()

    office = Organisation.objects.get(code="demo-hyd-hr-office")
    assert office.parent is not None
    assert office.parent.code == "demo-sindh-hr"
    assert office.parent.jurisdiction_id == "PK7"


def test_demo_users_are_marked_as_demo_with_invented_names() -> None:
    run_demo()

    user = User.objects.get(username="intake.lahore")
    person = PeopleGenerator(staff_person_seed("intake.lahore")).person(
        gender="female" if staff_person_seed("intake.lahore") % 2 else "male"
    )
    assert user.is_demo
    assert (user.first_name, user.last_name) == (person.given_name_en, person.family_name_en)
    assert user.email.endswith(".invalid")


def test_it_prints_every_login_the_password_and_the_two_factor_warning() -> None:
    output = run_demo()

    for username in ("admin", "intake.lahore", "supervisor.hyderabad", "provincial.sindh"):
        assert username in output
    assert "Meesaq Centre Lahore" in output
    assert printed_password(output)
    assert WARNING in output


def test_running_twice_creates_nothing_new_and_prints_the_same_password(
    var_dir: Path,
) -> None:
    first = run_demo()
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())

    second = run_demo()

    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert printed_password(first) == printed_password(second)

    def accounts_table(output: str) -> list[str]:
        # The summary lines of each step differ (created / already in place); the logins don't.
        lines = output.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Username"))
        return lines[start:]

    assert accounts_table(first) == accounts_table(second)
    assert "nothing new" in second
    assert (var_dir / "demo-password.txt").read_text().strip() == printed_password(first)
    assert (var_dir / "demo-password.txt").stat().st_mode & 0o077 == 0
    assert AuditEvent.objects.filter(action="demo.created").count() == 1


def test_it_records_one_audit_event_with_counts_only() -> None:
    run_demo()

    event = AuditEvent.objects.get(action="demo.created")
    assert event.actor_id is None
    assert event.detail == {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def test_it_uses_the_configured_demo_password() -> None:
    with override_settings(MEESAQ_DEMO_PASSWORD="demo password one"):
        output = run_demo()

    assert printed_password(output) == "demo password one"
    assert User.objects.get(username="auditor.punjab").check_password("demo password one")


def test_a_changed_demo_password_is_set_on_the_existing_demo_users() -> None:
    with override_settings(MEESAQ_DEMO_PASSWORD="first-demo-password"):
        run_demo()
    with override_settings(MEESAQ_DEMO_PASSWORD="second-demo-password"):
        output = run_demo()

    assert "second-demo-password" in output
    for user in User.objects.filter(is_demo=True):
        assert user.check_password("second-demo-password"), user.username
    assert AuditEvent.objects.filter(action="demo.passwords_reset").count() == 1


def test_it_leaves_a_real_account_with_a_demo_username_alone() -> None:
    real_admin = User.objects.create_user(username="admin", password="a real admin password")

    errors = StringIO()
    output = StringIO()
    call_command("demo", stdout=output, stderr=errors)

    real_admin.refresh_from_db()
    assert not real_admin.is_demo
    assert real_admin.check_password("a real admin password")
    assert not real_admin.memberships.exists()
    assert "admin" in errors.getvalue()
    assert "intake.lahore" in output.getvalue()


def test_accounts_json_lists_every_account_in_the_documented_shape(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"

    run_demo("--accounts-json", str(path))

    accounts = json.loads(path.read_text(encoding="utf-8"))
    assert len(accounts) == User.objects.filter(is_demo=True).count()
    for account in accounts:
        assert set(account) == {"username", "role", "organisation", "district_pcode"}
        membership = Membership.objects.get(
            user__username=account["username"], organisation__code=account["organisation"]
        )
        assert membership.role == account["role"]
        assert membership.organisation.jurisdiction_id == account["district_pcode"]
    assert {
        "username": "intake.lahore",
        "role": "intake_officer",
        "organisation": "demo-lhr-police-centre",
        "district_pcode": "PK617",
    } in accounts


def test_it_refuses_to_run_in_production_mode() -> None:
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        run_demo()

    assert not User.objects.filter(is_demo=True).exists()
    assert not Organisation.objects.exists()


def test_the_command_line_exits_non_zero_with_a_plain_message_in_production(
    tmp_path: Path,
) -> None:
    key = base64.b64encode(bytes(32)).decode()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meesaq.settings",
        "MEESAQ_MODE": "production",
        "MEESAQ_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-the-production-settings-check",
        "MEESAQ_ENCRYPTION_KEYS": f"k1:{key}",
        "MEESAQ_BLIND_INDEX_KEY": key,
        "ALLOWED_HOSTS": "meesaq.example.invalid",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
    }

    completed = subprocess.run(
        [sys.executable, "-m", "meesaq.cli", "demo"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode != 0
    assert "The demo cannot be created in production mode" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert "Password" not in completed.stdout


def test_it_loads_the_places_when_none_are_loaded() -> None:
    AdminUnit.objects.filter(level=Level.TEHSIL).delete()
    for level in (Level.DISTRICT, Level.DIVISION, Level.PROVINCE):
        AdminUnit.objects.filter(level=level).delete()
    assert not AdminUnit.objects.exists()

    run_demo()

    assert AdminUnit.objects.filter(pcode="PK617").exists()
    assert Organisation.objects.filter(code="demo-lhr-police-centre").exists()


@pytest.mark.parametrize("username", ["intake.lahore", "admin", "provincial.sindh"])
def test_demo_users_sign_in_with_the_printed_password_and_skip_two_factor(
    username: str,
) -> None:
    password = printed_password(run_demo())
    client = Client()

    response = client.post("/en/account/sign-in/", {"username": username, "password": password})
    assert response.status_code == 302

    home = client.get("/en/")
    assert home.status_code == 200
    assert home.wsgi_request.user.get_username() == username


def test_a_wrong_password_does_not_sign_a_demo_user_in() -> None:
    run_demo()
    client = Client()

    response = client.post(
        "/en/account/sign-in/", {"username": "intake.lahore", "password": "not the password"}
    )

    assert response.status_code == 200
    assert client.get("/en/").status_code == 302


@pytest.fixture
def no_registered_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start from an empty step registry, restored after the test."""
    monkeypatch.setattr(registry, "_STEPS", {})


@pytest.mark.usefixtures("no_registered_steps")
def test_later_modules_extend_the_demo_with_registered_steps() -> None:
    seen: list[DemoContext] = []

    @demo_step("test-extension", order=5)
    def extend(context: DemoContext) -> str:
        seen.append(context)
        return f"Test extension saw {len(context.organisations)} organisations."

    output = run_demo()

    assert len(seen) == 1
    assert "demo-lhr-police-centre" in seen[0].organisations
    assert "intake.lahore" in seen[0].users
    assert seen[0].password == printed_password(output)
    assert f"Test extension saw {Organisation.objects.count()} organisations." in output


@pytest.mark.django_db
def test_the_demo_gives_its_districts_their_urdu_names(tmp_path: Path) -> None:
    with override_settings(
        VAR_DIR=tmp_path,
        MEDIA_ROOT=tmp_path / "files",
        MEESAQ_DEMO_PASSWORD="a demo password for tests",
    ):
        call_command("demo", stdout=StringIO())
    assert AdminUnit.objects.get(pcode="PK617").name_ur == "لاہور"
