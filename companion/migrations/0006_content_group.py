"""The "content" group: staff who edit the site's content (the feelings vocabulary,
trigger tags, homework templates, library articles, crisis resources, email wording) and
nothing else. Add a staff member to it in the admin (Users → Groups); plumbing (users,
audit log, schedules, sign-in bookkeeping, the outbox) stays with superusers.

Self-contained: the model list is written out here, not imported. Permissions are made
first, since on a fresh database Django creates them only after all migrations ran.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "content"
CONTENT_MODELS = (
    ("journal", "emotion"),
    ("journal", "trigger"),
    ("journal", "homeworktemplate"),
    ("companion", "article"),
    ("companion", "crisisresource"),
    ("accounts", "messagetemplate"),
)
ACTIONS = ("view", "add", "change")


def create_group(apps, schema_editor):
    for app_label in {app for app, _model in CONTENT_MODELS}:
        config = apps.get_app_config(app_label)
        config.models_module = True  # create_permissions skips configs without models
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for _app, model in CONTENT_MODELS for action in ACTIONS]
    permissions = Permission.objects.filter(
        content_type__app_label__in={app for app, _model in CONTENT_MODELS},
        codename__in=codenames,
    )
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("companion", "0005_crisis_resources_in_the_site_language"),
        ("journal", "0006_homework_names_the_wheel_as_the_page_does"),
        ("accounts", "0006_enrolment_links_and_canonical_emails"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
