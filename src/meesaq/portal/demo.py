"""Demo portal complaints in Lahore: one anonymous with a note published to the complainant, one
named (routed to the human-rights office), one caught by the honeypot. Created once."""

from __future__ import annotations

from django.utils import timezone

from meesaq.cases.models import ActionKind, Category
from meesaq.cases.services.actions import action_add
from meesaq.demo.registry import DemoContext, demo_step
from meesaq.geo.models import AdminUnit
from meesaq.portal.models import Ticket
from meesaq.portal.services import complaint_lodge

LAHORE = "PK617"


@demo_step("portal", order=70)
def portal_demo(context: DemoContext) -> str | None:
    """Lodge three public complaints and publish one note; print the first code and PIN."""
    if Ticket.objects.filter(case__organisation__code__startswith="demo-").exists():
        return "portal complaints already there"
    district = AdminUnit.objects.get(pcode=LAHORE)
    threats = Category.objects.get(code="threats")
    first = complaint_lodge(
        district=district,
        tehsil=None,
        place="Youhanabad",
        category=threats,
        groups=[],
        incident_on=timezone.localdate(),
        narrative="دو آدمیوں نے اتوار کو گرجا گھر کے دروازے پر میرے بھائی کو دھمکیاں دیں\u06d4",
        anonymous=True,
    )
    person = context.people.person(faith="christian")
    complaint_lodge(
        district=district,
        tehsil=None,
        place="",
        category=Category.objects.get(code="discrimination"),
        groups=[],
        incident_on=None,
        narrative="The school refused my daughter's admission because we are Christian.",
        anonymous=False,
        full_name=person.full_name_en,
        phone=person.phone,
    )
    complaint_lodge(
        district=district,
        tehsil=None,
        place="",
        category=threats,
        groups=[],
        incident_on=None,
        narrative="Cheap watches, visit our site.",
        anonymous=True,
        honeypot="http://spam.invalid",
    )
    officer = context.users.get("caseofficer.lahore")
    if officer is not None:
        action_add(
            actor=officer,
            case=first.case,
            kind=ActionKind.NOTE,
            occurred_on=timezone.localdate(),
            note="ہمارا افسر پیر کو آپ کے خاندان سے ملنے آئے گا\u06d4",
            public=True,
        )
    return f"3 portal complaints; track {first.code} with PIN {first.pin}"
