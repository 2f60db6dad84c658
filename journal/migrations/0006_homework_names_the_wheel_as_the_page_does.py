"""The "Name three feelings" exercise told people to "open the feelings wheel", but no
page had anything called that. The check-in now has "Explore the feelings wheel"; the
instruction names it and says where it is.

Self-contained (no app code). Only text still exactly as seeded is changed, in the
library template and in assignments copied from it; anything a therapist rewrote stays.
"""

from django.db import migrations

OLD = (
    "1. Open the feelings wheel and start in the middle with the broad feelings "
    "(such as sad, happy, scared, angry)."
)
NEW = (
    "1. On the check-in page, open “Explore the feelings wheel” (or type a word into "
    "“Find a feeling”), and start with the broad feelings (such as sad, happy, scared, angry)."
)


def _swap(apps, old, new):
    for model in ("HomeworkTemplate", "HomeworkAssignment"):
        Model = apps.get_model("journal", model)
        for row in Model.objects.filter(instructions__contains=old):
            row.instructions = row.instructions.replace(old, new)
            row.save(update_fields=["instructions"])


def forward(apps, schema_editor):
    _swap(apps, OLD, NEW)


def backward(apps, schema_editor):
    _swap(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("journal", "0005_emotion_synonyms")]

    operations = [migrations.RunPython(forward, backward)]
