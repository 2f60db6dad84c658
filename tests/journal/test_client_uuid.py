"""A check-in sent twice is stored once: the client-made ``client_uuid`` (#20)."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import OutboxMessage
from journal.models import CheckIn, ClientDay
from tests.conftest import ON_POSTGRES, token_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/checkins/"
REFRESH = "therapists.tasks.refresh_client_trend"


def body(**overrides):
    return {
        "felt_intensity": 3,
        "emotions": [{"emotion": "numb", "intensity": 4}],
        "symptoms": {"fatigue": 2},
        "client_uuid": str(uuid.uuid4()),
        **overrides,
    }


class TestApi:
    def test_a_repeat_answers_200_with_the_first_and_stores_nothing(self, api, client_a):
        sent = body(note="on the train")
        first = api.as_(client_a).post(URL, sent, format="json")
        assert first.status_code == 201
        assert first.json()["client_uuid"] == sent["client_uuid"]
        refreshes = OutboxMessage.objects.filter(task_name=REFRESH).count()
        again = api.as_(client_a).post(URL, {**sent, "felt_intensity": 9}, format="json")
        assert again.status_code == 200
        assert again.json() == first.json()  # the first check-in, as it was stored
        assert CheckIn.objects.count() == 1
        assert ClientDay.objects.get().checkins == 1
        assert OutboxMessage.objects.filter(task_name=REFRESH).count() == refreshes

    def test_another_accounts_id_is_refused_and_reveals_nothing(self, api, client_a, client_b):
        sent = body(note="only mine")
        api.as_(client_a).post(URL, sent, format="json")
        response = api.as_(client_b).post(URL, sent, format="json")
        assert response.status_code == 400
        assert list(response.json()) == ["client_uuid"]
        assert "only mine" not in response.content.decode()
        assert CheckIn.objects.filter(client=client_b).count() == 0

    def test_another_accounts_id_is_not_even_decrypted(self, api, client_a, client_b, monkeypatch):
        from accounts import fields

        sent = body(note="only mine")
        api.as_(client_a).post(URL, sent, format="json")
        seen: list[str] = []
        real = fields.decrypt_text
        monkeypatch.setattr(
            fields, "decrypt_text", lambda token: seen.append(real(token)) or seen[-1]
        )
        assert api.as_(client_b).post(URL, sent, format="json").status_code == 400
        assert "only mine" not in seen

    @pytest.mark.parametrize("bad", ["not-a-uuid", "", 12345, "0" * 33, ["x"], {"a": 1}])
    def test_an_id_that_is_not_a_uuid_is_refused(self, api, client_a, bad):
        response = api.as_(client_a).post(URL, body(client_uuid=bad), format="json")
        assert response.status_code == 400
        assert "client_uuid" in response.json()
        assert not CheckIn.objects.exists()

    def test_without_an_id_every_post_is_a_new_check_in(self, api, client_a):
        sent = body()
        del sent["client_uuid"]
        for _ in range(2):
            assert api.as_(client_a).post(URL, sent, format="json").status_code == 201
        assert CheckIn.objects.count() == 2

    def test_an_id_is_only_given_when_checking_in(self, api, client_a):
        created = api.as_(client_a).post(URL, body(), format="json").json()
        response = api.as_(client_a).patch(
            f"{URL}{created['id']}/", {"client_uuid": str(uuid.uuid4())}, format="json"
        )
        assert response.status_code == 400 and "client_uuid" in response.json()
        assert str(CheckIn.objects.get().client_uuid) == created["client_uuid"]

    def test_a_late_arrival_lands_on_the_day_it_was_made(self, api, client_a):
        made = timezone.now() - timedelta(days=2, hours=3)
        response = api.as_(client_a).post(URL, body(occurred_at=made.isoformat()), format="json")
        assert response.status_code == 201
        day = made.astimezone(client_a.tz).date()
        assert response.json()["local_date"] == day.isoformat()
        assert ClientDay.objects.get(client=client_a).date == day
        refresh = OutboxMessage.objects.filter(task_name=REFRESH).latest("pk")
        assert refresh.kwargs["since"] == day.isoformat()  # the engine replays from that day


class TestPortal:
    def _form(self, client, client_a):
        client.force_login(client_a)
        page = client.get("/checkin/").content.decode()
        marker = 'name="client_uuid" value="'
        assert marker in page
        return page.split(marker)[1].split('"')[0]

    def test_each_form_has_its_own_id(self, client, client_a):
        assert self._form(client, client_a) != self._form(client, client_a)

    def test_a_double_tap_stores_one_check_in(self, client, client_a):
        form_id = self._form(client, client_a)
        data = {"felt_intensity": "4", "emotions": ["numb"], "client_uuid": form_id}
        first = client.post("/checkin/", data)
        second = client.post("/checkin/", data)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]  # both show the one saved check-in
        assert CheckIn.objects.count() == 1

    def test_the_offline_shell_holds_nothing_personal(self, client, client_a):
        client.force_login(client_a)
        page = client.get("/checkin/shell/").content.decode()
        assert "data-shell" in page and 'name="felt_intensity"' in page
        assert client_a.display_name not in page and client_a.email not in page
        assert "Sign out" not in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES, reason="two connections at once need PostgreSQL")
def test_two_simultaneous_sends_store_one(client_a):
    """Two requests with the same id at the same instant, each on its own connection."""
    from rest_framework.test import APIClient

    sent = body()
    token = token_for(client_a)
    answers, barrier = [], threading.Barrier(2)

    def post():
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        barrier.wait()
        answers.append(api.post(URL, sent, format="json").status_code)
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200, 201]
    assert CheckIn.objects.filter(client_uuid=sent["client_uuid"]).count() == 1
