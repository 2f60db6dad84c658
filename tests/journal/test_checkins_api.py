"""The check-in API as outside clients use it: vocabulary, create, list, detail, edit, delete."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import OutboxMessage
from journal.models import CheckIn, ClientDay, Emotion, EmotionRating
from tests.conftest import AUTH_QUERIES
from tests.journal.factories import make_checkin, make_history

URL = "/api/v1/checkins/"
TASK = "therapists.tasks.refresh_client_trend"


def body(**overrides):
    data = {
        "emotions": [{"emotion": "anxious", "intensity": 6}],
        "felt_intensity": 3,
        "symptoms": {
            "disconnected": 2,
            "lost_interest": 1,
            "fatigue": 2,
            "misaligned": 0,
            "autopilot": 3,
            "others_concerned": 0,
        },
        "triggers": ["chronic_stress", "medication_change"],
        "note": "free text, encrypted at rest",
        "shared": True,
    }
    data.update(overrides)
    return data


def nothing_stored():
    return (
        not CheckIn.objects.exists()
        and not EmotionRating.objects.exists()
        and not ClientDay.objects.exists()
        and not OutboxMessage.objects.filter(task_name=TASK).exists()
    )


@pytest.mark.django_db
class TestVocabulary:
    def test_emotions_are_a_flat_three_level_wheel(self, api, client_a):
        response = api.as_(client_a).get("/api/v1/emotions/")
        assert response.status_code == 200
        rows = response.json()
        assert isinstance(rows, list)
        assert len(rows) >= 100
        by_slug = {row["slug"]: row for row in rows}
        core = [row for row in rows if row["level"] == 1]
        assert len(core) == 7
        assert all(row["parent"] is None for row in core)
        assert by_slug["anxious"] == {
            "slug": "anxious",
            "name": "Anxious",
            "parent": "fearful",
            "level": 2,
            "valence": "unpleasant",
        }
        assert by_slug["worried"]["parent"] == "anxious"
        assert by_slug["worried"]["level"] == 3
        assert by_slug["joyful"]["valence"] == "pleasant"
        assert {row["valence"] for row in rows} == {"pleasant", "unpleasant", "neutral"}

    def test_inactive_emotions_are_left_out(self, api, client_a):
        Emotion.objects.filter(slug="jealous").update(is_active=False)
        slugs = {row["slug"] for row in api.as_(client_a).get("/api/v1/emotions/").json()}
        assert "jealous" not in slugs
        assert "furious" in slugs

    def test_triggers(self, api, client_a):
        response = api.as_(client_a).get("/api/v1/triggers/")
        assert response.status_code == 200
        slugs = [row["slug"] for row in response.json()]
        assert {"chronic_stress", "medication_change", "trauma_reminder", "poor_sleep"} <= set(
            slugs
        )
        assert set(response.json()[0]) == {"slug", "name", "description"}

    def test_vocabulary_needs_a_login(self, api):
        assert api.get("/api/v1/emotions/").status_code == 401
        assert api.get("/api/v1/triggers/").status_code == 401


@pytest.mark.django_db
class TestCreate:
    def test_the_contract_example(self, api, client_a):
        response = api.as_(client_a).post(
            URL, body(occurred_at=(timezone.now() - timedelta(hours=1)).isoformat()), format="json"
        )
        assert response.status_code == 201, response.json()
        data = response.json()
        checkin = CheckIn.objects.get()
        assert data["id"] == checkin.pk
        assert data["emotions"] == [{"emotion": "anxious", "name": "Anxious", "intensity": 6}]
        assert data["felt_intensity"] == 3
        assert data["symptoms"]["autopilot"] == 3
        assert sorted(data["triggers"]) == ["chronic_stress", "medication_change"]
        assert data["note"] == "free text, encrypted at rest"
        assert data["shared"] is True
        assert checkin.client == client_a
        assert checkin.note == "free text, encrypted at rest"

    def test_local_date_is_the_date_in_the_clients_time_zone(self, api, client_a):
        # 23:30 UTC on 1 March is already 2 March in Berlin (the cast's time zone).
        with time_machine.travel(datetime(2026, 3, 1, 23, 45, tzinfo=UTC), tick=False):
            response = api.as_(client_a).post(
                URL, {"felt_intensity": 4, "occurred_at": "2026-03-01T23:30:00Z"}, format="json"
            )
            assert response.status_code == 201
            assert response.json()["local_date"] == "2026-03-02"
            assert response.json()["occurred_at"] == "2026-03-02T00:30:00+01:00"
            stored = CheckIn.objects.get()
            assert stored.occurred_at == datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
            assert ClientDay.objects.get().date == date(2026, 3, 2)
            # No offset: the client's own wall-clock time.
            response = api.as_(client_a).post(
                URL, {"felt_intensity": 4, "occurred_at": "2026-03-02T00:40:00"}, format="json"
            )
            assert response.status_code == 201
            assert CheckIn.objects.get(pk=response.json()["id"]).occurred_at == datetime(
                2026, 3, 1, 23, 40, tzinfo=UTC
            )

    def test_occurred_at_defaults_to_now(self, api, client_a):
        with time_machine.travel(datetime(2026, 5, 4, 10, 0, tzinfo=UTC), tick=False):
            response = api.as_(client_a).post(URL, {"felt_intensity": 4}, format="json")
        assert response.status_code == 201
        assert CheckIn.objects.get().occurred_at == datetime(2026, 5, 4, 10, 0, tzinfo=UTC)

    def test_numbness_is_an_answer(self, api, client_a):
        response = api.as_(client_a).post(URL, {"emotions": [], "felt_intensity": 1}, format="json")
        assert response.status_code == 201
        assert response.json()["emotions"] == []
        assert ClientDay.objects.get(client=client_a).empty_checkins == 1

    def test_minimal_body(self, api, client_a):
        response = api.as_(client_a).post(URL, {"felt_intensity": 0}, format="json")
        assert response.status_code == 201
        assert response.json()["symptoms"] == dict.fromkeys(
            [
                "disconnected",
                "lost_interest",
                "fatigue",
                "misaligned",
                "autopilot",
                "others_concerned",
            ]
        )
        assert response.json()["shared"] is False

    def test_a_write_enqueues_the_trend_refresh_in_the_outbox(self, api, client_a):
        api.as_(client_a).post(URL, body(), format="json")
        message = OutboxMessage.objects.get(task_name=TASK)
        day = client_a.local_today().isoformat()  # the body's occurred_at is now
        assert message.kwargs == {"client_id": client_a.pk, "since": day}

    def test_boundaries_are_accepted(self, api, client_a):
        now = timezone.now()
        ok = body(
            emotions=[{"emotion": "numb", "intensity": 0}, {"emotion": "joyful", "intensity": 10}],
            felt_intensity=10,
            note="x" * 5000,
            occurred_at=(now + timedelta(minutes=4)).isoformat(),
        )
        assert api.as_(client_a).post(URL, ok, format="json").status_code == 201
        old = body(felt_intensity=0, occurred_at=(now - timedelta(days=29, hours=23)).isoformat())
        assert api.as_(client_a).post(URL, old, format="json").status_code == 201

    @pytest.mark.parametrize(
        "overrides",
        [
            {},
            {"emotions": [], "triggers": [], "symptoms": {}, "note": ""},
            {
                # ties on intensity are ordered by name; triggers by their display order
                "emotions": [
                    {"emotion": "numb", "intensity": 4},
                    {"emotion": "anxious", "intensity": 4},
                    {"emotion": "joyful", "intensity": 9},
                ],
                "triggers": ["poor_sleep", "chronic_stress", "conflict"],
                "occurred_at": "2026-11-28T09:15:00.123456+09:00",
            },
        ],
    )
    def test_the_answer_is_what_a_read_returns(self, api, client_a, overrides):
        # The created check-in is answered from what was written, without reading it back.
        me = api.as_(client_a)
        with time_machine.travel(datetime(2026, 11, 28, 12, 0, tzinfo=UTC), tick=False):
            created = me.post(URL, body(**overrides), format="json")
            assert created.status_code == 201, created.content
            assert me.get(f"{URL}{created.json()['id']}/").json() == created.json()

    def test_query_count_of_a_check_in_is_pinned(
        self, api, client_a, django_assert_max_num_queries
    ):
        me = api.as_(client_a)
        me.post(URL, body(), format="json")
        # Savepoint (BEGIN in production), emotions, triggers, lock, check-in, ratings,
        # trigger links, the day's check-ins with ratings, the day rows of the week,
        # UPDATE of the day, outbox row, release (COMMIT). It was 21 + auth before.
        with django_assert_max_num_queries(12 + AUTH_QUERIES):
            assert me.post(URL, body(), format="json").status_code == 201
        # Without feelings or triggers there is nothing to look up or link.
        with django_assert_max_num_queries(8 + AUTH_QUERIES):
            assert me.post(URL, body(emotions=[], triggers=[]), format="json").status_code == 201
        # With the device's id (the portal always sends one): the lock and the id lookup
        # once, the savepoint that a simultaneous send from another account needs, the
        # check-in read back as stored. It was 18 + auth (the lock taken twice).
        with django_assert_max_num_queries(15 + AUTH_QUERIES):
            sent = body(client_uuid=str(uuid.uuid4()))
            assert me.post(URL, sent, format="json").status_code == 201


BAD_INPUT = [
    ("emotion intensity 11", {"emotions": [{"emotion": "anxious", "intensity": 11}]}, "emotions"),
    ("emotion intensity -1", {"emotions": [{"emotion": "anxious", "intensity": -1}]}, "emotions"),
    ("emotion intensity 2.5", {"emotions": [{"emotion": "anxious", "intensity": 2.5}]}, "emotions"),
    (
        "emotion intensity 'high'",
        {"emotions": [{"emotion": "anxious", "intensity": "high"}]},
        "emotions",
    ),
    (
        "emotion intensity true",
        {"emotions": [{"emotion": "anxious", "intensity": True}]},
        "emotions",
    ),
    ("emotion without intensity", {"emotions": [{"emotion": "anxious"}]}, "emotions"),
    ("felt intensity 11", {"felt_intensity": 11}, "felt_intensity"),
    ("felt intensity -1", {"felt_intensity": -1}, "felt_intensity"),
    ("felt intensity 2.5", {"felt_intensity": 2.5}, "felt_intensity"),
    ("felt intensity 'high'", {"felt_intensity": "high"}, "felt_intensity"),
    ("felt intensity true", {"felt_intensity": True}, "felt_intensity"),
    ("felt intensity null", {"felt_intensity": None}, "felt_intensity"),
    ("unknown emotion", {"emotions": [{"emotion": "flibbertigibbet", "intensity": 3}]}, "emotions"),
    (
        "same emotion twice",
        {
            "emotions": [
                {"emotion": "anxious", "intensity": 3},
                {"emotion": "anxious", "intensity": 5},
            ]
        },
        "emotions",
    ),
    ("emotions not a list", {"emotions": {"emotion": "anxious", "intensity": 3}}, "emotions"),
    ("emotions a string", {"emotions": "anxious"}, "emotions"),
    ("symptom key sleep", {"symptoms": {"sleep": 2}}, "symptoms"),
    ("symptom value 4", {"symptoms": {"fatigue": 4}}, "symptoms"),
    ("symptom value 1.5", {"symptoms": {"fatigue": 1.5}}, "symptoms"),
    ("symptoms not an object", {"symptoms": [1, 2]}, "symptoms"),
    ("unknown trigger", {"triggers": ["alien_abduction"]}, "triggers"),
    ("note of 5,001 characters", {"note": "x" * 5001}, "note"),
]


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize(
        ("case", "overrides", "field"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT]
    )
    def test_rejected_naming_the_field_and_nothing_is_stored(
        self, api, client_a, case, overrides, field
    ):
        response = api.as_(client_a).post(URL, body(**overrides), format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
        assert nothing_stored()

    def test_missing_felt_intensity(self, api, client_a):
        data = body()
        del data["felt_intensity"]
        response = api.as_(client_a).post(URL, data, format="json")
        assert response.status_code == 400
        assert "felt_intensity" in response.json()
        assert nothing_stored()

    @pytest.mark.parametrize(
        "moment",
        [timedelta(days=1), timedelta(minutes=6), -timedelta(days=31)],
        ids=["a day ahead", "six minutes ahead", "31 days back"],
    )
    def test_occurred_at_outside_the_window(self, api, client_a, moment):
        occurred_at = (timezone.now() + moment).isoformat()
        response = api.as_(client_a).post(URL, body(occurred_at=occurred_at), format="json")
        assert response.status_code == 400
        assert "occurred_at" in response.json()
        assert nothing_stored()

    def test_occurred_at_not_a_time(self, api, client_a):
        response = api.as_(client_a).post(URL, body(occurred_at="yesterday-ish"), format="json")
        assert response.status_code == 400
        assert "occurred_at" in response.json()
        assert nothing_stored()

    def test_body_that_is_not_json(self, api, client_a):
        response = api.as_(client_a).post(
            URL, "{felt_intensity: 3", content_type="application/json"
        )
        assert response.status_code == 400
        assert nothing_stored()

    def test_body_that_is_a_json_list(self, api, client_a):
        response = api.as_(client_a).post(URL, [1, 2, 3], format="json")
        assert response.status_code == 400
        assert "non_field_errors" in response.json()
        assert nothing_stored()

    def test_form_encoded_body_is_unsupported(self, api, client_a):
        response = api.as_(client_a).post(URL, {"felt_intensity": "3"})
        assert response.status_code == 415
        assert nothing_stored()

    def test_several_errors_at_once(self, api, client_a):
        response = api.as_(client_a).post(
            URL, body(felt_intensity=12, triggers=["nope"], symptoms={"sleep": 1}), format="json"
        )
        assert response.status_code == 400
        assert {"felt_intensity", "symptoms"} <= set(response.json())
        assert nothing_stored()


@pytest.mark.django_db
class TestWhoMay:
    def test_anonymous(self, api):
        assert api.get(URL).status_code == 401
        assert api.post(URL, body(), format="json").status_code == 401
        assert nothing_stored()

    def test_therapists_cannot_check_in(self, api, therapist_a):
        assert api.as_(therapist_a).post(URL, body(), format="json").status_code == 403
        assert nothing_stored()

    def test_another_clients_checkin_is_a_404_for_every_verb(self, api, client_a, client_b):
        theirs = make_checkin(client_b, felt_intensity=7, note="B's own words")
        url = f"{URL}{theirs.pk}/"
        me = api.as_(client_a)
        assert me.get(url).status_code == 404
        assert me.patch(url, {"felt_intensity": 1}, format="json").status_code == 404
        assert me.delete(url).status_code == 404
        theirs.refresh_from_db()
        assert theirs.felt_intensity == 7
        assert CheckIn.objects.filter(pk=theirs.pk).exists()
        assert me.get(f"{URL}999999/").status_code == 404
        assert theirs.pk not in [row["id"] for row in me.get(URL).json()["results"]]

    def test_therapist_cannot_reach_a_clients_checkin_here(self, api, client_a, therapist_a):
        mine = make_checkin(client_a)
        assert api.as_(therapist_a).get(f"{URL}{mine.pk}/").status_code == 403


@pytest.mark.django_db
class TestList:
    def test_own_newest_first_and_paginated(self, api, client_a, client_b):
        older = make_checkin(client_a, days_ago=2)
        newer = make_checkin(client_a, days_ago=1)
        make_checkin(client_b, days_ago=1)
        data = api.as_(client_a).get(URL).json()
        assert set(data) >= {"next", "previous", "results"}
        assert [row["id"] for row in data["results"]] == [newer.pk, older.pk]

    def test_page_size(self, api, client_a):
        make_history(client_a, 5)
        data = api.as_(client_a).get(URL, {"page_size": 2}).json()
        assert len(data["results"]) == 2
        assert data["next"] is not None

    def test_since_and_until_are_inclusive_local_dates(self, api, client_a):
        checkins = [make_checkin(client_a, days_ago=d) for d in (1, 3, 5)]
        middle = checkins[1].local_date
        data = (
            api.as_(client_a)
            .get(URL, {"since": middle.isoformat(), "until": middle.isoformat()})
            .json()
        )
        assert [row["id"] for row in data["results"]] == [checkins[1].pk]
        data = api.as_(client_a).get(URL, {"since": middle.isoformat()}).json()
        assert [row["id"] for row in data["results"]] == [checkins[0].pk, checkins[1].pk]
        data = api.as_(client_a).get(URL, {"until": middle.isoformat()}).json()
        assert [row["id"] for row in data["results"]] == [checkins[1].pk, checkins[2].pk]

    def test_bad_filter(self, api, client_a):
        response = api.as_(client_a).get(URL, {"since": "last tuesday"})
        assert response.status_code == 400
        assert "since" in response.json()

    def test_query_count_is_pinned(self, api, client_a, django_assert_max_num_queries):
        me = api.as_(client_a)
        make_history(client_a, 3)
        # count, check-ins, their ratings with emotions, their triggers
        with django_assert_max_num_queries(4 + AUTH_QUERIES) as small:
            assert len(me.get(URL).json()["results"]) == 3
        make_history(client_a, 27)
        with django_assert_max_num_queries(4 + AUTH_QUERIES) as large:
            assert len(me.get(URL).json()["results"]) == 30
        assert len(small) == len(large)


@pytest.mark.django_db
class TestDetailEditDelete:
    def test_get(self, api, client_a):
        checkin = make_checkin(client_a, emotions={"hopeful": 4}, note="mine")
        data = api.as_(client_a).get(f"{URL}{checkin.pk}/").json()
        assert data["id"] == checkin.pk
        assert data["note"] == "mine"
        assert data["emotions"] == [{"emotion": "hopeful", "name": "Hopeful", "intensity": 4}]

    def test_patch_changes_only_what_is_sent(self, api, client_a):
        checkin = make_checkin(
            client_a,
            felt_intensity=2,
            emotions={"numb": 8},
            symptoms={"fatigue": 3},
            triggers=["poor_sleep"],
            note="a",
        )
        response = api.as_(client_a).patch(
            f"{URL}{checkin.pk}/",
            {
                "felt_intensity": 6,
                "emotions": [{"emotion": "hopeful", "intensity": 5}],
                "symptoms": {"autopilot": 1},
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        data = response.json()
        assert data["felt_intensity"] == 6
        assert data["emotions"] == [{"emotion": "hopeful", "name": "Hopeful", "intensity": 5}]
        assert data["symptoms"]["fatigue"] == 3
        assert data["symptoms"]["autopilot"] == 1
        assert data["triggers"] == ["poor_sleep"]
        assert data["note"] == "a"
        day = ClientDay.objects.get(client=client_a)
        assert day.felt_intensity == 6
        assert day.emotion_counts == {"hopeful": 1}
        assert OutboxMessage.objects.filter(task_name=TASK).count() == 2

    def test_patch_bad_input_changes_nothing(self, api, client_a):
        checkin = make_checkin(client_a, felt_intensity=2, emotions={"numb": 8})
        outbox = OutboxMessage.objects.count()
        for bad in (
            {"felt_intensity": 2.5},
            {"emotions": [{"emotion": "numb"}]},
            {"emotions": [{"emotion": "nope", "intensity": 1}]},
            {"symptoms": {"sleep": 1}},
            {"occurred_at": (timezone.now() + timedelta(days=1)).isoformat()},
            {"note": "x" * 5001},
        ):
            response = api.as_(client_a).patch(f"{URL}{checkin.pk}/", bad, format="json")
            assert response.status_code == 400, bad
        checkin.refresh_from_db()
        assert checkin.felt_intensity == 2
        assert list(checkin.ratings.values_list("emotion__slug", "intensity")) == [("numb", 8)]
        assert OutboxMessage.objects.count() == outbox

    def test_delete(self, api, client_a):
        checkin = make_checkin(client_a)
        response = api.as_(client_a).delete(f"{URL}{checkin.pk}/")
        assert response.status_code == 204
        assert not CheckIn.objects.exists()
        assert not ClientDay.objects.exists()
        assert api.as_(client_a).get(f"{URL}{checkin.pk}/").status_code == 404


@pytest.mark.django_db
def test_schema_describes_the_checkin_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in [
        "/api/v1/emotions/",
        "/api/v1/triggers/",
        "/api/v1/checkins/",
        "/api/v1/checkins/{id}/",
        "/api/v1/insights/",
    ]:
        assert path in schema["paths"], path
    post = schema["paths"]["/api/v1/checkins/"]["post"]
    assert "201" in post["responses"]
    request_schema = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].split(
        "/"
    )[-1]
    assert "felt_intensity" in schema["components"]["schemas"][request_schema]["required"]
    params = {p["name"] for p in schema["paths"]["/api/v1/checkins/"]["get"]["parameters"]}
    assert {"since", "until", "page"} <= params
    assert {"patch", "get", "delete"} <= set(schema["paths"]["/api/v1/checkins/{id}/"])
