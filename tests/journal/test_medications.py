"""Medication events: client-reported, editable, the derived current list, therapist reads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.models import MedicationEvent
from journal.selectors.medications import current_medications, medication_event_list
from tests.conftest import AUTH_QUERIES
from tests.journal.factories import MedicationEventFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/medication-events/"


def today():
    return timezone.localdate()


def body(**overrides):
    data = {
        "medication": "Sertraline",
        "kind": "start",
        "dose": "50 mg",
        "occurred_on": (today() - timedelta(days=3)).isoformat(),
        "note": "Prescribed by Dr. Lee.",
    }
    data.update(overrides)
    return data


class TestCreateAndList:
    def test_create(self, api, client_a):
        response = api.as_(client_a).post(EVENTS, body(), format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["kind"] == "start" and data["dose"] == "50 mg"
        event = MedicationEvent.objects.get(pk=data["id"])
        assert event.client == client_a and event.note == "Prescribed by Dr. Lee."

    def test_side_effect_blunting(self, api, client_a):
        response = api.as_(client_a).post(
            EVENTS, body(kind="side_effect", side_effect="blunting", dose=""), format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["side_effect_label"] == "Emotional blunting / numbness"

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"kind": "doubled"}, "kind"),
            ({"occurred_on": "2999-01-01"}, "occurred_on"),
            ({"occurred_on": "yesterday"}, "occurred_on"),
            ({"dose": "5" * 200}, "dose"),
            ({"dose": "20 mg\x00"}, "dose"),
            ({"dose": "20\nmg"}, "dose"),
            ({"dose": "a little"}, "dose"),
            ({"medication": ""}, "medication"),
            ({"medication": "Sertra\x07line"}, "medication"),
            ({"kind": "side_effect"}, "side_effect"),
            ({"kind": "start", "side_effect": "blunting"}, "side_effect"),
            ({"side_effect": "glowing", "kind": "side_effect"}, "side_effect"),
            ({"note": "x" * 2001}, "note"),
        ],
    )
    def test_bad_input_names_the_field_and_stores_nothing(self, api, client_a, overrides, field):
        response = api.as_(client_a).post(EVENTS, body(**overrides), format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert not MedicationEvent.objects.exists()

    def test_dose_rule_is_documented(self, client):
        schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
        dose = schema["components"]["schemas"]["MedicationEventInputRequest"]["properties"]["dose"]
        assert "60 characters" in dose["description"] and "number" in dose["description"]

    def test_lists_only_own(self, api, client_a, client_b):
        mine = MedicationEventFactory(client=client_a)
        MedicationEventFactory(client=client_b)
        response = api.as_(client_a).get(EVENTS)
        assert response.status_code == 200
        assert [e["id"] for e in response.json()["results"]] == [mine.pk]
        assert set(response.json()) >= {"next", "previous", "results"}

    def test_therapist_gets_403(self, api, therapist_a):
        assert api.as_(therapist_a).post(EVENTS, body(), format="json").status_code == 403
        assert not MedicationEvent.objects.exists()

    @pytest.mark.parametrize("count", [2, 40])
    def test_query_count(self, api, client_a, django_assert_max_num_queries, count):
        MedicationEventFactory.create_batch(count, client=client_a, note="private")
        api.as_(client_a)
        with django_assert_max_num_queries(2 + AUTH_QUERIES):
            response = api.get(EVENTS)
        assert len(response.json()["results"]) == count


class TestDetail:
    def url(self, event) -> str:
        return f"{EVENTS}{event.pk}/"

    def test_get_patch_delete_own(self, api, client_a):
        event = MedicationEventFactory(client=client_a)
        me = api.as_(client_a)
        assert me.get(self.url(event)).json()["medication"] == "Sertraline"
        patched = me.patch(self.url(event), {"dose": "100 mg", "kind": "increase"}, format="json")
        assert patched.status_code == 200, patched.json()
        event.refresh_from_db()
        assert (event.dose, event.kind) == ("100 mg", "increase")
        assert me.delete(self.url(event)).status_code == 204
        assert not MedicationEvent.objects.exists()

    def test_patch_bad_input_changes_nothing(self, api, client_a):
        event = MedicationEventFactory(client=client_a, dose="50 mg")
        for change, field in (
            ({"dose": "plenty"}, "dose"),
            ({"occurred_on": "2999-01-01"}, "occurred_on"),
            ({"kind": "side_effect"}, "side_effect"),
        ):
            response = api.as_(client_a).patch(self.url(event), change, format="json")
            assert response.status_code == 400 and field in response.json()
        event.refresh_from_db()
        assert (event.dose, event.kind) == ("50 mg", "start")

    def test_someone_elses_event_is_404(self, api, client_a, client_b, therapist_b):
        theirs = MedicationEventFactory(client=client_b)
        me = api.as_(client_a)
        assert me.get(self.url(theirs)).status_code == 404
        assert me.patch(self.url(theirs), {"dose": "1 mg"}, format="json").status_code == 404
        assert me.delete(self.url(theirs)).status_code == 404
        assert api.as_(therapist_b).get(self.url(theirs)).status_code == 403
        theirs.refresh_from_db()
        assert theirs.dose == "50 mg"


class TestCurrentMedications:
    def test_derived_from_events(self, api, client_a):
        day = today() - timedelta(days=60)
        MedicationEventFactory(
            client=client_a, medication="Sertraline", kind="start", dose="50 mg", occurred_on=day
        )
        MedicationEventFactory(
            client=client_a,
            medication="sertraline ",
            kind="increase",
            dose="100 mg",
            occurred_on=day + timedelta(days=20),
        )
        MedicationEventFactory(
            client=client_a,
            medication="Sertraline",
            kind="side_effect",
            dose="",
            side_effect="blunting",
            occurred_on=day + timedelta(days=30),
        )
        MedicationEventFactory(
            client=client_a, medication="Zopiclone", kind="start", dose="7.5 mg", occurred_on=day
        )
        MedicationEventFactory(
            client=client_a,
            medication="Zopiclone",
            kind="stop",
            dose="",
            occurred_on=day + timedelta(days=10),
        )
        meds = current_medications(client_a)
        assert [(m.medication, m.dose, m.since, m.side_effects) for m in meds] == [
            ("Sertraline", "100 mg", day, ["blunting"])
        ]
        response = api.as_(client_a).get("/api/v1/current-medications/")
        assert response.status_code == 200
        [row] = response.json()["results"]
        assert (row["medication"], row["dose"], row["last_change"]) == (
            "Sertraline",
            "100 mg",
            "increase",
        )
        assert row["side_effects"] == ["blunting"]

    def test_restarting_after_stop(self, client_a):
        day = today() - timedelta(days=30)
        MedicationEventFactory(client=client_a, kind="start", dose="50 mg", occurred_on=day)
        MedicationEventFactory(
            client=client_a, kind="stop", dose="", occurred_on=day + timedelta(days=5)
        )
        MedicationEventFactory(
            client=client_a, kind="start", dose="25 mg", occurred_on=day + timedelta(days=9)
        )
        [med] = current_medications(client_a)
        assert med.dose == "25 mg" and med.since == day + timedelta(days=9)

    @pytest.mark.parametrize("count", [3, 30])
    def test_query_count(self, api, client_a, django_assert_max_num_queries, count):
        for n in range(count):
            MedicationEventFactory(client=client_a, medication=f"Med {n}")
        api.as_(client_a)
        with django_assert_max_num_queries(1 + AUTH_QUERIES):
            response = api.get("/api/v1/current-medications/")
        assert response.json()["results"]


class TestTherapistSelector:
    def test_caseload_only_and_no_private_notes(
        self, client_a, therapist_a, therapist_b, therapist_ended
    ):
        MedicationEventFactory(client=client_a, note="private thoughts")
        events = list(medication_event_list(therapist_a, client_a))
        assert len(events) == 1
        assert "note" in events[0].get_deferred_fields()
        assert list(medication_event_list(therapist_b, client_a)) == []
        assert list(medication_event_list(therapist_ended, client_a)) == []
        assert current_medications(client_a, viewer=therapist_a)[0].medication == "Sertraline"
        assert current_medications(client_a, viewer=therapist_b) == []


class TestPortal:
    def test_page_add_and_edit(self, client, client_a):
        client.force_login(client_a)
        page = client.get("/medications/")
        assert page.status_code == 200
        html = page.content.decode()
        for label in ("id_medication", "id_kind", "id_dose", "id_side_effect", "id_occurred_on"):
            assert f'<label for="{label}">' in html
        response = client.post(
            "/medications/",
            {
                "medication": "Fluoxetine",
                "kind": "start",
                "dose": "20 mg",
                "occurred_on": today().isoformat(),
            },
        )
        assert response.status_code == 302
        event = MedicationEvent.objects.get()
        edit = client.post(
            f"/medications/{event.pk}/edit/",
            {
                "medication": "Fluoxetine",
                "kind": "increase",
                "dose": "40 mg",
                "occurred_on": today().isoformat(),
            },
        )
        assert edit.status_code == 302
        event.refresh_from_db()
        assert event.dose == "40 mg"
        assert "Fluoxetine" in client.get("/medications/").content.decode()

    def test_portal_bad_input_and_outsider(self, client, client_a, client_b):
        theirs = MedicationEventFactory(client=client_b)
        client.force_login(client_a)
        bad = client.post(
            "/medications/",
            {
                "medication": "X",
                "kind": "start",
                "dose": "some",
                "occurred_on": today().isoformat(),
            },
        )
        assert bad.status_code == 400 and "Include the amount as a number" in bad.content.decode()
        assert client.get(f"/medications/{theirs.pk}/edit/").status_code == 404
        assert client.post(f"/medications/{theirs.pk}/delete/").status_code == 404
        assert list(MedicationEvent.objects.values_list("client", flat=True)) == [client_b.pk]


class TestPortalPage:
    """The /medications/ page as a client reads it on a phone: dates, labels, quick entry."""

    def _log(self, client, kind, dose, day, **extra):
        data = {"medication": "Sertraline", "kind": kind, "dose": dose, "occurred_on": day}
        data.update(extra)
        response = client.post("/medications/", data)
        assert response.status_code == 302, response.content.decode()[:2000]

    def test_since_dates_follow_start_increase_decrease_stop(self, client, client_a):
        client.force_login(client_a)
        start = today() - timedelta(days=120)
        up, down = start + timedelta(days=30), start + timedelta(days=90)
        self._log(client, "start", "50 mg", start)
        self._log(client, "increase", "100 mg", up)
        [med] = current_medications(client_a)
        assert (med.dose, med.dose_since, med.since) == ("100 mg", up, start)
        self._log(client, "decrease", "50 mg", down)
        [med] = current_medications(client_a)
        assert (med.dose, med.dose_since, med.since) == ("50 mg", down, start)
        html = client.get("/medications/").content.decode()
        assert f"<strong>50 mg</strong> since {down:%-d %b %Y}" in html
        assert "(dose decreased)" in html
        assert f"Taking it since {start:%-d %b %Y}." in html
        self._log(client, "stop", "", today())
        assert current_medications(client_a) == []
        assert "Nothing noted as current." in client.get("/medications/").content.decode()

    def test_side_effects_show_their_labels_not_codes(self, client, client_a):
        client.force_login(client_a)
        self._log(client, "start", "50 mg", today() - timedelta(days=5))
        self._log(client, "side_effect", "", today(), side_effect="blunting")
        html = client.get("/medications/").content.decode()
        assert "Emotional blunting / numbness" in html
        assert "blunting</" not in html and ": blunting" not in html
        assert "<table" not in html  # a list that reads on a phone, not a table

    def test_pick_an_existing_medication_and_today_is_the_default(self, client, client_a):
        client.force_login(client_a)
        self._log(client, "start", "50 mg", today() - timedelta(days=5))
        html = client.get("/medications/?medication=Sertraline").content.decode()
        assert '<datalist id="medication-names"><option value="Sertraline"></option>' in html
        assert 'list="medication-names"' in html
        assert f'value="{client_a.local_today():%Y-%m-%d}"' in html
        assert 'name="medication" value="Sertraline"' in html

    def test_bad_input_stores_nothing(self, client, client_a):
        client.force_login(client_a)
        response = client.post(
            "/medications/", {"medication": "X", "kind": "start", "dose": "lots", "occurred_on": ""}
        )
        assert response.status_code == 400
        assert not MedicationEvent.objects.exists()
