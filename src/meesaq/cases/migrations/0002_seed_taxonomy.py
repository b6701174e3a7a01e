"""Seed the taxonomy of SPEC.md 3.1 in English and Urdu; administrators edit it afterwards."""

from django.db import migrations

CATEGORIES = [
    ("threats", "Threats and intimidation", "دھمکیاں اور ہراساں کرنا"),
    ("physical_violence", "Physical violence", "جسمانی تشدد"),
    ("sexual_violence", "Sexual violence", "جنسی تشدد"),
    ("abduction", "Abduction", "اغوا"),
    ("forced_conversion", "Forced conversion", "جبری تبدیلیٔ مذہب"),
    ("forced_marriage", "Forced or child marriage", "جبری یا کم عمری کی شادی"),
    ("blasphemy_mob", "Blasphemy accusation or mob threat", "توہینِ مذہب کا الزام یا ہجوم کا خطرہ"),
    ("worship_attack", "Attack on place of worship or graveyard", "عبادت گاہ یا قبرستان پر حملہ"),
    ("land_grabbing", "Land or property grabbing", "زمین یا جائیداد پر قبضہ"),
    (
        "discrimination",
        "Discrimination in employment, education or public services",
        "روزگار، تعلیم یا سرکاری خدمات میں امتیازی سلوک",
    ),
    ("hate_speech", "Hate speech or incitement", "نفرت انگیز تقریر یا اشتعال انگیزی"),
    ("bonded_labour", "Bonded labour", "جبری مشقت"),
    ("police_misconduct", "Police inaction or misconduct", "پولیس کی غفلت یا بدسلوکی"),
    ("other", "Other", "دیگر"),
]

GROUPS = [
    ("christian", "faith", "Christian", "مسیحی"),
    ("hindu", "faith", "Hindu", "ہندو"),
    ("sikh", "faith", "Sikh", "سکھ"),
    ("ahmadi", "faith", "Ahmadi", "احمدی"),
    ("parsi", "faith", "Parsi", "پارسی"),
    ("bahai", "faith", "Baha'i", "بہائی"),
    ("kalash", "faith", "Kalash", "کیلاش"),
    ("other_faith", "faith", "Other religious minority", "دیگر مذہبی اقلیت"),
    ("women", "vulnerable", "Women", "خواتین"),
    ("children", "vulnerable", "Children", "بچے"),
    ("disability", "vulnerable", "Persons with disabilities", "معذور افراد"),
    ("transgender", "vulnerable", "Transgender persons", "خواجہ سرا افراد"),
    ("ultra_poor", "vulnerable", "Ultra poor", "انتہائی غریب"),
]

OUTCOMES = [
    ("remedy_provided", "Remedy provided", "داد رسی فراہم کی گئی"),
    (
        "fir_prosecution",
        "FIR registered and prosecution under way",
        "ایف آئی آر درج اور مقدمہ زیرِ سماعت",
    ),
    ("referred_completed", "Referred out and completed", "دوسرے ادارے کو بھیجا گیا اور مکمل ہوا"),
    ("withdrawn", "Withdrawn by complainant", "شکایت کنندہ نے واپس لے لی"),
    ("unresolved", "Unresolved", "حل نہیں ہوا"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    AffectedGroup = apps.get_model("cases", "AffectedGroup")
    Outcome = apps.get_model("cases", "Outcome")
    for order, (code, en, ur) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            code=code, defaults={"label_en": en, "label_ur": ur, "order": order}
        )
    for order, (code, kind, en, ur) in enumerate(GROUPS):
        AffectedGroup.objects.get_or_create(
            code=code, defaults={"label_en": en, "label_ur": ur, "order": order, "kind": kind}
        )
    for order, (code, en, ur) in enumerate(OUTCOMES):
        Outcome.objects.get_or_create(
            code=code, defaults={"label_en": en, "label_ur": ur, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases_people_actions_taxonomy")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
