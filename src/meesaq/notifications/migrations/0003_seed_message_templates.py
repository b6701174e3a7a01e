"""Seed the message templates of the events other modules send."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# (event, channel, English, Urdu). Complainant SMS carry the reference and a status word only.
TEMPLATES = [
    ("case.registered_urgent", "in_app", "Urgent case {reference} was registered.",
     "فوری کیس {reference} درج کیا گیا۔"),
    ("case.registered_urgent", "email", "Urgent case {reference} was registered in Meesaq.",
     "میثاق میں فوری کیس {reference} درج کیا گیا۔"),
    ("case.status_changed", "sms", "Meesaq: your complaint {reference} is now {status}.",
     "میثاق: آپ کی شکایت {reference} اب {status} ہے۔"),
    ("referral.received", "in_app", "Case {reference} was referred to your organisation.",
     "کیس {reference} آپ کے ادارے کو بھیجا گیا۔"),
    ("referral.accepted", "in_app", "The referral of case {reference} was accepted.",
     "کیس {reference} کا حوالہ قبول کر لیا گیا۔"),
    ("referral.declined", "in_app", "The referral of case {reference} was declined.",
     "کیس {reference} کا حوالہ مسترد کر دیا گیا۔"),
    ("referral.returned", "in_app",
     "The referral of case {reference} was returned for more information.",
     "کیس {reference} کا حوالہ مزید معلومات کے لیے واپس کیا گیا۔"),
    ("deadline.overdue", "in_app", "Case {reference} is overdue.",
     "کیس {reference} کی مقررہ مدت گزر گئی ہے۔"),
    ("deadline.escalated", "in_app", "Overdue case {reference} was escalated to you.",
     "مدت سے تجاوز کرنے والا کیس {reference} آپ کو بھیجا گیا۔"),
    ("feedback.request", "sms",
     "Meesaq: your complaint {reference} is {status}. Reply 1 satisfied, 2 partly, 3 not.",
     "میثاق: آپ کی شکایت {reference} {status} ہے۔ جواب دیں: 1 مطمئن، 2 جزوی، 3 غیر مطمئن۔"),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template = apps.get_model("notifications", "MessageTemplate")
    for event, channel, text_en, text_ur in TEMPLATES:
        template.objects.get_or_create(
            event=event, channel=channel, defaults={"text_en": text_en, "text_ur": text_ur}
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_message_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
