"""A sensible starting set of crisis resources; staff extend and correct it in the admin.

Only well-established, publicly listed services. Empty locale = shown to everyone.
Reversing removes exactly these rows.
"""

from django.db import migrations

RESOURCES = [
    {
        "locale": "",
        "position": 0,
        "name": "Emergency services",
        "description": "If you might act on thoughts of harming yourself, or you are in danger now, "
        "call your local emergency number (112 in the EU, 911 in the US/Canada, 999 in the UK), "
        "or go to the nearest emergency department.",
        "phone": "",
        "sms": "",
        "url": "",
        "available_hours": "24 hours, every day",
    },
    {
        "locale": "",
        "position": 10,
        "name": "Find A Helpline",
        "description": "Free, confidential crisis lines in your country, by phone, text or chat.",
        "phone": "",
        "sms": "",
        "url": "https://findahelpline.com",
        "available_hours": "",
    },
    {
        "locale": "US",
        "position": 0,
        "name": "988 Suicide & Crisis Lifeline",
        "description": "Call or text 988 to talk with a trained crisis counselor, free and confidential.",
        "phone": "988",
        "sms": "988",
        "url": "https://988lifeline.org",
        "available_hours": "24 hours, every day",
    },
    {
        "locale": "GB",
        "position": 0,
        "name": "Samaritans",
        "description": "Someone to talk to about whatever you are going through, free from any phone.",
        "phone": "116 123",
        "sms": "",
        "url": "https://www.samaritans.org",
        "available_hours": "24 hours, every day",
    },
    {
        "locale": "IE",
        "position": 0,
        "name": "Samaritans",
        "description": "Someone to talk to about whatever you are going through, free from any phone.",
        "phone": "116 123",
        "sms": "",
        "url": "https://www.samaritans.org",
        "available_hours": "24 hours, every day",
    },
    {
        "locale": "DE",
        "position": 0,
        "name": "TelefonSeelsorge",
        "description": "Anonyme, kostenlose Beratung am Telefon, auch per Chat und E-Mail.",
        "phone": "0800 111 0 111",
        "sms": "",
        "url": "https://www.telefonseelsorge.de",
        "available_hours": "24 Stunden, jeden Tag",
    },
]


def seed(apps, schema_editor):
    CrisisResource = apps.get_model("companion", "CrisisResource")
    for data in RESOURCES:
        CrisisResource.objects.get_or_create(
            locale=data["locale"], name=data["name"], defaults=data
        )


def unseed(apps, schema_editor):
    CrisisResource = apps.get_model("companion", "CrisisResource")
    for data in RESOURCES:
        CrisisResource.objects.filter(locale=data["locale"], name=data["name"]).delete()


class Migration(migrations.Migration):
    dependencies = [("companion", "0001_crisis_resources")]

    operations = [migrations.RunPython(seed, unseed)]
