"""Lodging a public complaint: it lands as a received case at the right centre, safely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import (
    AffectedGroup,
    Attachment,
    Case,
    CasePerson,
    Category,
    Channel,
    Moderation,
    Priority,
    Status,
)
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit
from meesaq.orgs.models import OrganisationKind
from meesaq.portal.models import RoutingRule, Ticket
from meesaq.portal.selectors import routing_organisation
from meesaq.sla.models import CaseDeadlines
from tests.personas import World
from tests.portal.conftest import PNG, PROGRAM, STORY, fake_request, lodge, upload


def test_a_complaint_lands_received_at_the_district_police_centre(world: World) -> None:
    lodged = lodge()
    case = lodged.case
    assert case.status == Status.RECEIVED
    assert case.channel == Channel.PORTAL
    assert case.organisation == world.lahore_centre
    assert case.reference.startswith("PB-LHR-")
    assert case.recorded_by is None
    assert case.transitions.get().to_status == Status.RECEIVED
    assert AuditEvent.objects.filter(action="cases.case_created", object_id=str(case.pk)).exists()
    assert CaseDeadlines.objects.filter(case=case).exists()


def test_the_story_and_the_place_are_encrypted_at_rest(world: World) -> None:
    case = lodge().case
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative, place FROM cases_case WHERE id = %s", [case.pk])
        narrative, place = cursor.fetchone()
    assert "Shamim" not in narrative
    assert "Youhanabad" not in place
    assert Case.objects.get(pk=case.pk).narrative == STORY


def test_the_pin_is_stored_only_as_a_hash(world: World) -> None:
    lodged = lodge()
    ticket = Ticket.objects.get(case=lodged.case)
    assert lodged.pin not in ticket.pin_hash
    assert ticket.pin_hash.startswith(("argon2", "pbkdf2", "quick"))
    assert lodged.code.replace("-", "") == ticket.code


def test_discrimination_goes_to_the_human_rights_office_by_the_seeded_rule(world: World) -> None:
    case = lodge(category=Category.objects.get(code="discrimination")).case
    assert case.organisation == world.lahore_hr_office


def test_a_district_rule_beats_a_category_rule(world: World) -> None:
    RoutingRule.objects.create(
        district=AdminUnit.objects.get(pcode="PK617"),
        category=Category.objects.get(code="discrimination"),
        organisation=world.lahore_community_centre,
    )
    case = lodge(category=Category.objects.get(code="discrimination")).case
    assert case.organisation == world.lahore_community_centre


def test_a_group_rule_applies_to_complaints_naming_that_group(world: World) -> None:
    women = AffectedGroup.objects.get(code="women")
    RoutingRule.objects.create(group=women, organisation=world.lahore_ngo)
    assert lodge(groups=[women]).case.organisation == world.lahore_ngo
    assert lodge().case.organisation == world.lahore_centre


def test_without_a_district_office_the_province_department_receives_it(world: World) -> None:
    multan = AdminUnit.objects.get(pcode="PK624")
    organisation = routing_organisation(
        district=multan, category=Category.objects.get(code="threats"), groups=[]
    )
    assert organisation == world.punjab_department


def test_a_rule_to_a_kind_falls_through_when_the_district_has_none(world: World) -> None:
    RoutingRule.objects.create(
        category=Category.objects.get(code="threats"),
        organisation_kind=OrganisationKind.LINE_DEPARTMENT,
    )
    assert lodge().case.organisation == world.lahore_centre


def test_an_anonymous_complaint_records_nobody(world: World) -> None:
    case = lodge(anonymous=True, full_name="Shamim", phone="0300-1234567").case
    assert not CasePerson.objects.filter(case=case).exists()
    assert case.consent_contact is False


def test_a_named_complainant_is_recorded_with_encrypted_identity(world: World) -> None:
    case = lodge(anonymous=False, full_name="Shamim Masih", phone="0300-1234567").case
    link = CasePerson.objects.select_related("person").get(case=case)
    assert link.role == "complainant"
    assert link.person.phone == "+923001234567"
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM cases_person WHERE id = %s", [link.person_id])
        assert "Shamim" not in cursor.fetchone()[0]


def test_with_consent_an_sms_carries_the_code_and_never_the_pin(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        lodged = lodge(
            anonymous=False, full_name="Shamim Masih", phone="0300-1234567", consent_sms=True
        )
    (job,) = DBTaskResult.objects.all()
    text = job.args_kwargs["kwargs"]["text"]
    assert lodged.code in text
    assert lodged.pin not in text
    assert "Shamim" not in text
    assert job.args_kwargs["kwargs"]["to"] == "+923001234567"


def test_without_consent_no_sms_is_sent(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        lodge(anonymous=False, phone="0300-1234567", consent_sms=False)
    assert not DBTaskResult.objects.exists()


def test_danger_to_life_makes_the_complaint_urgent(world: World) -> None:
    assert lodge(danger_life=True).case.priority == Priority.URGENT
    assert lodge(danger_child=True).case.priority == Priority.HIGH


def test_a_filled_honeypot_keeps_the_complaint_but_marks_it_spam(world: World) -> None:
    case = lodge(honeypot="http://spam.example").case
    assert case.moderation == Moderation.SPAM
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_named_complaint_needs_a_name_or_a_phone(world: World) -> None:
    with pytest.raises(MeesaqError) as error:
        lodge(anonymous=False)
    assert "full_name" in error.value.fields
    assert not Case.objects.exists()


def test_every_field_has_a_length_limit(world: World) -> None:
    for overrides in (
        {"narrative": "x" * 5001},
        {"place": "x" * 301},
        {"anonymous": False, "full_name": "x" * 201},
    ):
        with pytest.raises(MeesaqError):
            lodge(**overrides)
    assert not Case.objects.exists()


def test_evidence_files_are_attached_encrypted_and_marked_as_the_complainants(
    world: World, media: Path
) -> None:
    case = lodge(files=[upload("photo.png", PNG)]).case
    attachment = Attachment.objects.get(case=case)
    assert attachment.from_complainant
    assert attachment.content_type == "image/png"
    assert PNG not in (media / "attachments" / attachment.storage_name).read_bytes()


def test_a_program_with_a_photo_name_is_refused_and_nothing_is_saved(
    world: World, media: Path
) -> None:
    with pytest.raises(MeesaqError) as error:
        lodge(files=[upload("photo.jpg", PROGRAM, "image/jpeg")])
    assert error.value.code == "file_type"
    assert not Case.objects.exists()
    assert not (media / "attachments").exists() or not any((media / "attachments").iterdir())


@override_settings(MEESAQ_PORTAL_MAX_FILES=1)
def test_too_many_files_are_refused(world: World, media: Path) -> None:
    with pytest.raises(MeesaqError):
        lodge(files=[upload("a.png", PNG), upload("b.png", PNG)])
    assert not Case.objects.exists()


@override_settings(MEESAQ_PORTAL_LODGE_LIMIT=2)
def test_one_address_can_send_only_so_many_complaints_an_hour(world: World) -> None:
    lodge(request=fake_request("198.51.100.1"))
    lodge(request=fake_request("198.51.100.1"))
    with pytest.raises(MeesaqError) as error:
        lodge(request=fake_request("198.51.100.1"))
    assert error.value.code == "rate_limited"
    lodge(request=fake_request("198.51.100.2"))
    assert Case.objects.count() == 3


@override_settings(
    MEESAQ_PORTAL_LODGE_LIMIT=1,
    AXES_IPWARE_PROXY_COUNT=0,  # one proxy (nginx): X-Forwarded-For holds just the client
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
)
def test_behind_the_proxy_each_forwarded_client_is_counted_apart(world: World) -> None:
    def behind_proxy(client: str) -> Any:
        request = fake_request("10.0.0.2")
        request.META["HTTP_X_FORWARDED_FOR"] = client
        return request

    lodge(request=behind_proxy("203.0.113.10"))
    lodge(request=behind_proxy("203.0.113.11"))
    with pytest.raises(MeesaqError):
        lodge(request=behind_proxy("203.0.113.10"))


@override_settings(MEESAQ_PORTAL_LODGE_LIMIT=1)
def test_without_a_proxy_a_forged_forwarded_header_changes_nothing(world: World) -> None:
    def forged(client: str) -> Any:
        request = fake_request("198.51.100.50")
        request.META["HTTP_X_FORWARDED_FOR"] = client
        return request

    lodge(request=forged("203.0.113.20"))
    with pytest.raises(MeesaqError):
        lodge(request=forged("203.0.113.21"))


def test_the_proxy_count_decides_whether_forwarded_addresses_are_believed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = (
        "import django; django.setup(); "
        "from django.test import RequestFactory; "
        "from axes.helpers import get_client_ip_address as ip; "
        "r = RequestFactory().get('/', REMOTE_ADDR='10.0.0.2', "
        "HTTP_X_FORWARDED_FOR='203.0.113.9'); print(ip(r))"
    )
    seen = {}
    for count in ("0", "1"):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MEESAQ_", "DATABASE_"))}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "meesaq.settings",
                "PYTHONPATH": str(root / "src"),
                "MEESAQ_VAR_DIR": str(tmp_path),
                "MEESAQ_PROXY_COUNT": count,
            }
        )
        done = subprocess.run(  # noqa: S603  # a fixed interpreter and our own code
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        seen[count] = done.stdout.strip()
    assert seen == {"0": "10.0.0.2", "1": "203.0.113.9"}
