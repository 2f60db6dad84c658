"""The safety path: PHQ-9 item 9 and the "I don't feel safe" button.

Every way in must leave a SafetySignal and a therapist alert in the outbox, written in
the same transaction, and must show the client crisis resources at once.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import OutboxMessage
from companion.models import CrisisResource
from journal.models import Assessment, SafetySignal
from journal.selectors import safety as care_selectors
from journal.services.assessments import assessment_submit
from journal.services.safety import safety_signal_raise

pytestmark = pytest.mark.django_db

ASSESSMENTS = "/api/v1/assessments/"
SAFETY_API = "/api/v1/safety/"
ITEM9 = [0, 1, 0, 1, 0, 0, 0, 0, 1]


def safety_messages(signal):
    return OutboxMessage.objects.filter(
        task_name="therapists.tasks.raise_safety_flag", kwargs={"signal_id": signal.pk}
    )


class TestItemNine:
    def test_api_creates_signal_outbox_and_shows_resources(self, api, client_a):
        response = api.as_(client_a).post(
            ASSESSMENTS, {"instrument": "phq9", "answers": ITEM9}, format="json"
        )
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["safety_flag"] is True
        names = [r["name"] for r in data["crisis_resources"]]
        assert "TelefonSeelsorge" in names  # client_a lives in Europe/Berlin
        assert "Emergency services" in names and "Find A Helpline" in names
        assert data["crisis_resources_url"] == "/safety/"
        signal = SafetySignal.objects.get()
        assert signal.client == client_a and signal.source == "phq9_item9"
        assert signal.assessment_id == data["id"]
        assert safety_messages(signal).count() == 1
        assert OutboxMessage.objects.filter(
            task_name="therapists.tasks.assess_worsening", kwargs={"assessment_id": data["id"]}
        ).exists()

    @pytest.mark.parametrize("item9", [1, 2, 3])
    def test_any_answer_above_zero(self, client_a, item9):
        assessment, signal = assessment_submit(
            client=client_a, instrument="phq9", answers=[0] * 8 + [item9]
        )
        assert assessment.safety_flag is True and signal is not None
        assert safety_messages(signal).exists()

    def test_zero_on_item_nine_raises_nothing(self, client_a):
        assessment, signal = assessment_submit(
            client=client_a, instrument="phq9", answers=[3] * 8 + [0]
        )
        assert (assessment.score, assessment.safety_flag, signal) == (24, False, None)
        assert not SafetySignal.objects.exists()
        assert not OutboxMessage.objects.filter(
            task_name="therapists.tasks.raise_safety_flag"
        ).exists()

    def test_gad7_never_raises(self, client_a):
        _assessment, signal = assessment_submit(client=client_a, instrument="gad7", answers=[3] * 7)
        assert signal is None and not SafetySignal.objects.exists()

    def test_signal_and_alert_commit_or_roll_back_together(self, client_a):
        class Boom(Exception):
            pass

        with pytest.raises(Boom), transaction.atomic():
            assessment_submit(client=client_a, instrument="phq9", answers=ITEM9)
            raise Boom
        assert not Assessment.objects.exists()
        assert not SafetySignal.objects.exists()
        assert not OutboxMessage.objects.exists()

    def test_alert_is_sent_on_commit(self, client_a, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assessment_submit(client=client_a, instrument="phq9", answers=ITEM9)
        assert len(callbacks) == 2  # the safety alert and the worsening check, after commit


class TestButton:
    def test_api_button(self, api, client_a):
        response = api.as_(client_a).post(SAFETY_API, format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["therapist_notified"] is True
        assert data["crisis_resources"] and data["crisis_resources_url"] == "/safety/"
        signal = SafetySignal.objects.get(pk=data["id"])
        assert signal.source == "button" and signal.client == client_a
        assert safety_messages(signal).count() == 1

    def test_pressing_twice_alerts_once(self, api, client_a):
        first = api.as_(client_a).post(SAFETY_API, format="json")
        second = api.as_(client_a).post(SAFETY_API, format="json")
        assert (first.status_code, second.status_code) == (201, 200)
        assert first.json()["id"] == second.json()["id"]
        assert SafetySignal.objects.count() == 1
        assert (
            OutboxMessage.objects.filter(task_name="therapists.tasks.raise_safety_flag").count()
            == 1
        )

    def test_item_nine_is_not_swallowed_by_a_recent_button_press(self, client_a):
        safety_signal_raise(client=client_a)
        _assessment, signal = assessment_submit(client=client_a, instrument="phq9", answers=ITEM9)
        assert SafetySignal.objects.count() == 2 and safety_messages(signal).exists()

    def test_without_a_therapist_says_so(self, api, client_b):
        client_b.care_as_client.update(ended_at=timezone.now())
        response = api.as_(client_b).post(SAFETY_API, format="json")
        assert response.status_code == 201
        assert response.json()["therapist_notified"] is False
        assert SafetySignal.objects.filter(client=client_b).exists()

    def test_only_clients(self, api, therapist_a):
        assert api.as_(therapist_a).post(SAFETY_API, format="json").status_code == 403
        assert api.as_(None).post(SAFETY_API, format="json").status_code == 401
        assert not SafetySignal.objects.exists()


class TestCrisisResources:
    def test_locale_and_default_fallback(self, client_a):
        client_a.timezone = "America/New_York"
        us = [r["name"] for r in care_selectors.crisis_resources_for_client(client_a)]
        assert us[0] == "988 Suicide & Crisis Lifeline" and "Emergency services" in us
        assert "TelefonSeelsorge" not in us
        client_a.timezone = "UTC"
        anywhere = [r["name"] for r in care_selectors.crisis_resources_for_client(client_a)]
        assert set(anywhere) == {"Emergency services", "Find A Helpline"}

    def test_built_in_list_when_the_table_is_empty(self, client_a):
        CrisisResource.objects.all().delete()
        names = [r["name"] for r in care_selectors.crisis_resources_for_client(client_a)]
        assert names == ["Emergency services", "Find A Helpline"]

    def test_built_in_list_when_the_provider_fails(self, client_a):
        registered = care_selectors._crisis_resources_provider

        def failing(user):
            raise RuntimeError("database unavailable")

        care_selectors.crisis_resources_provider_register(failing)
        try:
            resources = care_selectors.crisis_resources_for_client(client_a)
        finally:
            care_selectors.crisis_resources_provider_register(registered)
        assert "112" in resources[0]["description"]

    def test_the_fallback_is_the_seeded_anywhere_list(self):
        """The built-in fallback and the migration's seed are one list written twice (a
        migration may not import app code): this pins that they stay the same."""
        import importlib

        seed = importlib.import_module("companion.migrations.0002_seed_default_crisis_resources")
        anywhere = [r for r in seed.RESOURCES if not r.get("locale")]
        fields = ("name", "description", "phone", "sms", "url", "available_hours")
        assert [{f: r.get(f, "") for f in fields} for r in anywhere] == [
            {f: r[f] for f in fields} for r in care_selectors.FALLBACK_CRISIS_RESOURCES
        ]

    def test_admin_edits_show_up(self, client_a):
        CrisisResource.objects.create(
            locale="DE", name="Krisendienst Test", phone="0800 000", position=5
        )
        CrisisResource.objects.filter(name="TelefonSeelsorge").update(is_active=False)
        names = [r["name"] for r in care_selectors.crisis_resources_for_client(client_a)]
        assert "Krisendienst Test" in names and "TelefonSeelsorge" not in names


class TestPortal:
    def test_safety_page_for_anyone(self, client):
        page = client.get("/safety/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "112 in the EU, 911 in the US/Canada, 999 in the UK" in html
        assert "findahelpline.com" in html
        assert "Tell my therapist now" not in html
        assert "988" in html  # other countries are listed too

    def test_client_sees_their_locale_and_the_button(self, client, client_a):
        client.force_login(client_a)
        html = client.get("/safety/").content.decode()
        assert "TelefonSeelsorge" in html and 'href="tel:08001110111"' in html
        assert "Tell my therapist now" in html
        assert 'style="' not in html and "<script>" not in html

    def test_tell_my_therapist_now(self, client, client_a):
        client.force_login(client_a)
        response = client.post("/safety/", follow=True)
        assert response.status_code == 200
        assert "We have let your therapist know" in response.content.decode()
        signal = SafetySignal.objects.get(client=client_a, source="button")
        assert safety_messages(signal).count() == 1

    def test_anonymous_cannot_post(self, client):
        assert client.post("/safety/").status_code == 302
        assert not SafetySignal.objects.exists()

    def test_phq9_item_nine_redirects_to_resources(self, client, client_a):
        client.force_login(client_a)
        answers = {f"item_{n}": "0" for n in range(1, 9)} | {"item_9": "1"}
        response = client.post("/assessments/phq9/", answers)
        assert response.status_code == 302 and response["Location"] == "/safety/?from=assessment"
        page = client.get(response["Location"]).content.decode()
        assert "Thank you for answering honestly" in page
        assert "Your therapist has been told" in page and "TelefonSeelsorge" in page
        signal = SafetySignal.objects.get(source="phq9_item9")
        assert safety_messages(signal).count() == 1

    def test_after_an_alert_the_page_does_not_offer_a_second_one(self, client, client_a):
        client.force_login(client_a)
        answers = {f"item_{n}": "0" for n in range(1, 9)} | {"item_9": "1"}
        client.post("/assessments/phq9/", answers)
        page = client.get("/safety/?from=assessment").content.decode()
        assert "Your therapist has been told" in page
        assert "Tell my therapist now" not in page
        assert "You don&#x27;t need to send it again" in page or "You don't need to send" in page
        # A press anyway (an old tab) is the same request for help: no second alert.
        client.post("/safety/")
        assert (
            OutboxMessage.objects.filter(task_name="therapists.tasks.raise_safety_flag").count()
            == 1
        )

    def test_the_button_comes_back_an_hour_later(self, client, client_a):
        signal, _created = safety_signal_raise(client=client_a)
        SafetySignal.objects.filter(pk=signal.pk).update(
            created_at=timezone.now() - timedelta(hours=2)
        )
        client.force_login(client_a)
        assert "Tell my therapist now" in client.get("/safety/").content.decode()

    def test_helplines_read_in_the_interface_language(self, client, client_a):
        client.force_login(client_a)
        html = client.get("/safety/").content.decode()
        assert "Anonymous, free counselling by phone, chat and email, in German." in html
        assert "Anonyme" not in html and "Stunden" not in html
