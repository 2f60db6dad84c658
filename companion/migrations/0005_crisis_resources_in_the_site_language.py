"""The German helpline's description and hours were seeded in German, and so showed in
German in the English interface. Descriptions are written in the site's language and say
which language the line answers in. Self-contained; changes only the seeded wording."""

from django.db import migrations

OLD = {
    "description": "Anonyme, kostenlose Beratung am Telefon, auch per Chat und E-Mail.",
    "available_hours": "24 Stunden, jeden Tag",
}
NEW = {
    "description": "Anonymous, free counselling by phone, chat and email, in German.",
    "available_hours": "24 hours, every day",
}


def _swap(apps, before, after):
    CrisisResource = apps.get_model("companion", "CrisisResource")
    for field in before:
        CrisisResource.objects.filter(
            locale="DE", name="TelefonSeelsorge", **{field: before[field]}
        ).update(**{field: after[field]})


def forward(apps, schema_editor):
    _swap(apps, OLD, NEW)


def backward(apps, schema_editor):
    _swap(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("companion", "0004_seed_library_articles")]

    operations = [migrations.RunPython(forward, backward)]
