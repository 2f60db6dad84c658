"""The admin for content staff: a "content" group that sees content only, every email's
built-in wording and variables, labels instead of codes, names in the audit log, and no
deletion of clinical records by anyone."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuditAction, MessageTemplate
from companion.admin import CLINICAL_MODELS, CONTENT_MODELS
from journal.models import Assessment
from tests.conftest import verified_login
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content_staff(db):
    person = StaffFactory(
        email="content@example.test", display_name="Casey Content", is_superuser=False
    )
    person.groups.add(Group.objects.get(name="content"))
    return person


# Written out here, not read from companion.admin: dropping a model from the code's list
# must fail this test (#17: staff could bulk-delete clinical flags).
CLINICAL_PAGES = {
    "journal.checkin",
    "journal.clientday",
    "journal.homeworkassignment",
    "journal.medicationevent",
    "journal.assessment",
    "journal.safetysignal",
    "therapists.flag",
    "therapists.flagnote",
    "therapists.medicationnote",
    "therapists.therapysession",
    "accounts.auditevent",
}


def test_nobody_deletes_clinical_records_in_the_admin(staff):
    request = RequestFactory().get("/admin/")
    request.user = staff  # a superuser: the rule holds for them too
    registered = {m._meta.label_lower: a for m, a in admin.site._registry.items()}
    assert set(CLINICAL_MODELS) >= CLINICAL_PAGES
    for label in CLINICAL_PAGES:
        assert label in registered, label
        model_admin = registered[label]
        assert not model_admin.has_delete_permission(request), label
        assert "delete_selected" not in model_admin.get_actions(request), label


def test_content_staff_see_content_and_nothing_else(client, content_staff):
    verified_login(client, content_staff)
    html = client.get("/admin/").content.decode()
    for label in CONTENT_MODELS:
        app, model = label.split(".")
        assert f'href="/admin/{app}/{model}/"' in html, label
    for plumbing in ("axes", "knox", "otp_static", "django_celery_beat", "outboxmessage",
                     "clientday", "auditevent", "checkin/"):  # fmt: skip
        assert plumbing not in html, plumbing
    assert client.get("/admin/accounts/auditevent/").status_code == 403
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    assert client.get("/admin/journal/emotion/").status_code == 200
    # view/add/change, not delete
    assert client.get("/admin/journal/emotion/1/delete/").status_code == 403


def test_message_templates_list_every_email_with_its_wording_and_variables(client, staff):
    verified_login(client, staff)
    html = client.get("/admin/accounts/messagetemplate/").content.decode()
    for _key, label in MessageTemplate.Key.choices:
        assert str(label) in html
    assert "A moment to check in" in html  # the built-in check-in reminder subject
    assert "{{ client.display_name }}" in html
    assert "{{ homework_due }}" in html
    html = client.get("/admin/accounts/messagetemplate/add/?key=care-reminder").content.decode()
    assert "Something small for today" in html  # starts from the built-in wording


def test_labels_not_codes(client, staff, client_a):
    Assessment.objects.create(
        client=client_a,
        instrument="phq9",
        answers=[2] * 8 + [0],
        score=16,
        severity="moderately_severe",
        taken_at=timezone.now(),
    )
    verified_login(client, staff)
    html = client.get("/admin/journal/assessment/").content.decode()
    start = html.index('id="result_list"')
    body = html[start : html.index("</table>", start)]
    assert "Moderately severe" in body and "moderately_severe" not in body


def test_audit_log_names_people_and_is_read_only(client, staff, therapist_a, client_a):
    event = audit_record(
        request=None,
        action=AuditAction.READ,
        actor=therapist_a,
        subject=client_a,
        object_type="journal.checkin",
        object_id=7,
    )
    verified_login(client, staff)
    html = client.get("/admin/accounts/auditevent/").content.decode()
    body = html[html.index('id="result_list"') :]
    assert therapist_a.display_name in body and client_a.display_name in body
    assert "journal: checkin 7" in body
    assert "add/" not in html.split('id="result_list"')[0].split("object-tools")[-1][:300]
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/delete/").status_code == 403


def test_article_preview_is_the_readers_page(client, staff):
    verified_login(client, staff)
    html = client.get("/admin/companion/article/1/change/").content.decode()
    assert "Open the preview as readers see it" in html
    assert 'href="/library/' in html
