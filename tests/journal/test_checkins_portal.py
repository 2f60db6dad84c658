"""The portal check-in, confirmation and history pages, and the admin for journal content."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import OutboxMessage
from journal.models import CheckIn, ClientDay
from tests.conftest import verified_login
from tests.factories import CareFactory, TherapistFactory
from tests.journal.factories import make_checkin, make_history

CANARY = "canary-5b1c the quiet kitchen"


def form(**overrides):
    data = {
        "felt_intensity": "4",
        "emotions": ["anxious", "worried"],
        "intensity_anxious": "6",
        "intensity_worried": "3",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestFeelingsStep:
    def test_a_new_client_is_offered_starter_words_with_the_numb_end_in_sight(
        self, client, client_a
    ):
        client.force_login(client_a)
        html = client.get("/checkin/").content.decode()
        assert "Some feelings to start with" in html
        for slug in ("numb", "empty", "tired"):
            assert f'id="q-{slug}"' in html

    def test_recent_and_most_used_feelings_come_first(self, client, client_a):
        for _ in range(3):
            make_checkin(client_a, emotions={"hopeful": 5})
        make_checkin(client_a, emotions={"grief": 6})
        client.force_login(client_a)
        html = client.get("/checkin/").content.decode()
        assert "Your recent and usual feelings" in html
        quick = html[html.index('class="chips quick"') : html.index('class="feeling-search"')]
        assert re.findall(r'id="q-([a-z_]+)"', quick)[:2] == ["grief", "hopeful"]

    def test_other_words_are_searchable(self, client, client_a):
        client.force_login(client_a)
        html = client.get("/checkin/").content.decode()
        numb = re.search(r'<li class="feeling" data-words="([^"]*)"><label[^>]+for="em-numb"', html)
        assert numb and "flat" in numb.group(1) and "blank" in numb.group(1)

    def test_a_feeling_ticked_twice_is_saved_once(self, client, client_a):
        client.force_login(client_a)
        response = client.post("/checkin/", form(emotions=["anxious", "anxious", "worried"]))
        assert response.status_code == 302
        checkin = CheckIn.objects.get(client=client_a)
        assert sorted(r.emotion.slug for r in checkin.ratings.all()) == ["anxious", "worried"]


@pytest.mark.django_db
class TestCheckinPage:
    def test_form_is_labelled_and_offers_the_whole_wheel(self, client, client_a):
        client.force_login(client_a)
        response = client.get("/checkin/")
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count('<section class="wheel-group"') == 7
        assert '<h3 id="core-happy">Happy</h3>' in html
        assert (
            "I can&#x27;t name anything right now" in html
            or "I can't name anything right now" in html
        )
        assert 'hx-boost="true"' in html
        assert 'style="' not in html
        assert "<script>" not in html
        # Every input has a label pointing at it.
        visible = [tag for tag in re.findall(r"<input[^>]+>", html) if 'type="hidden"' not in tag]
        ids = set(re.findall(r'id="([^"]+)"', " ".join(visible))) | set(
            re.findall(r'<textarea[^>]+id="([^"]+)"', html)
        )
        labelled = set(re.findall(r'<label[^>]+for="([^"]+)"', html))
        assert ids, "no inputs found"
        assert ids <= labelled, ids - labelled

    def test_sharing_explains_who_will_see_the_note(self, client, client_a, therapist_ended):
        second = TherapistFactory(display_name="Dr. Noor")
        CareFactory(therapist=second, client=client_a)
        client.force_login(client_a)
        html = client.get("/checkin/").content.decode()
        assert "your note can be read by your care team: Dr. Ada, Dr. Noor." in html
        assert "Dr. Former" not in html  # the ended relationship sees nothing

    def test_sharing_without_a_care_team(self, client):
        from tests.factories import ClientFactory

        loner = ClientFactory()
        client.force_login(loner)
        assert "not connected with a therapist" in client.get("/checkin/").content.decode()

    def test_submit_without_javascript(self, client, client_a):
        client.force_login(client_a)
        response = client.post(
            "/checkin/",
            form(
                symptom_fatigue="2",
                symptom_autopilot="3",
                triggers=["poor_sleep"],
                note=CANARY,
                shared="on",
            ),
        )
        checkin = CheckIn.objects.get()
        assert response.status_code == 302
        assert response.url == f"/checkin/saved/{checkin.pk}/"
        assert checkin.client == client_a
        assert checkin.felt_intensity == 4
        assert dict(checkin.ratings.values_list("emotion__slug", "intensity")) == {
            "anxious": 6,
            "worried": 3,
        }
        assert checkin.symptoms == {"fatigue": 2, "autopilot": 3}
        assert list(checkin.triggers.values_list("slug", flat=True)) == ["poor_sleep"]
        assert checkin.note == CANARY
        assert checkin.shared is True
        assert ClientDay.objects.get(client=client_a).checkins == 1
        assert (
            OutboxMessage.objects.filter(task_name="therapists.tasks.refresh_client_trend").count()
            == 1
        )

        saved = client.get(response.url).content.decode()
        assert "Saved. Thank you for checking in." in saved
        assert "4 out of 10" in saved
        assert "Anxious (6)" in saved
        assert "Worried (3)" in saved
        assert "Poor sleep" in saved
        assert "shared with Dr. Ada" in saved
        assert CANARY not in saved  # the confirmation says it was saved, without echoing it

    def test_submit_with_htmx(self, client, client_a):
        client.force_login(client_a)
        response = client.post(
            "/checkin/", form(), HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true", follow=True
        )
        assert response.status_code == 200
        assert "Saved. Thank you for checking in." in response.content.decode()
        assert CheckIn.objects.count() == 1

    def test_i_cant_name_anything(self, client, client_a):
        client.force_login(client_a)
        response = client.post("/checkin/", form(cant_name="on", felt_intensity="1"))
        assert response.status_code == 302
        checkin = CheckIn.objects.get()
        assert not checkin.ratings.exists()
        saved = client.get(response.url).content.decode()
        assert "None named" in saved
        assert "valid answer" in saved
        assert ClientDay.objects.get().empty_checkins == 1

    def test_private_note(self, client, client_a):
        client.force_login(client_a)
        response = client.post("/checkin/", form(note="just for me"))
        assert "private to you" in client.get(response.url).content.decode()
        assert CheckIn.objects.get().shared is False

    @pytest.mark.parametrize(
        ("case", "data"),
        [
            ("no felt intensity", form(felt_intensity="")),
            ("felt intensity 11", form(felt_intensity="11")),
            ("emotion intensity 11", form(intensity_anxious="11")),
            ("emotion intensity 2.5", form(intensity_anxious="2.5")),
            ("emotion intensity high", form(intensity_anxious="high")),
            ("unknown emotion", form(emotions=["flibbertigibbet"])),
            ("symptom value 4", form(symptom_fatigue="4")),
            ("unknown trigger", form(triggers=["alien_abduction"])),
            ("note too long", form(note="x" * 5001)),
            (
                "a day ahead",
                form(
                    occurred_at=(timezone.localtime() + timedelta(days=1)).strftime(
                        "%Y-%m-%dT%H:%M"
                    )
                ),
            ),
            (
                "31 days back",
                form(
                    occurred_at=(timezone.localtime() - timedelta(days=31)).strftime(
                        "%Y-%m-%dT%H:%M"
                    )
                ),
            ),
        ],
        ids=lambda v: v if isinstance(v, str) else "",
    )
    def test_bad_input_shows_errors_and_stores_nothing(self, client, client_a, case, data):
        client.force_login(client_a)
        response = client.post("/checkin/", data)
        assert response.status_code == 200
        assert 'class="errorlist' in response.content.decode()
        assert not CheckIn.objects.exists()
        assert not ClientDay.objects.exists()

    def test_choices_survive_an_error(self, client, client_a):
        client.force_login(client_a)
        html = client.post("/checkin/", form(felt_intensity="")).content.decode()
        assert re.search(r'id="em-anxious"[^>]*checked', html)
        assert 'name="intensity_anxious" id="int-anxious" value="6"' in html
        assert '<details class="explore" id="wheel" open>' in html
        assert '<div class="strengths" id="strengths">' in html  # shown, not hidden

    def test_saved_page_of_someone_else_is_404(self, client, client_a, client_b):
        theirs = make_checkin(client_b)
        client.force_login(client_a)
        assert client.get(f"/checkin/saved/{theirs.pk}/").status_code == 404

    def test_outsiders(self, client, therapist_a):
        assert client.get("/checkin/").status_code == 302
        verified_login(client, therapist_a)
        assert client.get("/checkin/").status_code == 403
        assert client.post("/checkin/", form()).status_code == 403
        assert not CheckIn.objects.exists()


@pytest.mark.django_db
class TestHistory:
    def test_by_day_newest_first_own_only(self, client, client_a, client_b):
        make_checkin(client_a, days_ago=3, emotions={"hopeful": 4}, note="three days")
        make_checkin(client_a, days_ago=1, emotions={"lonely": 6})
        make_checkin(client_b, days_ago=1, emotions={"furious": 9})
        client.force_login(client_a)
        html = client.get("/history/").content.decode()
        assert html.index("Lonely") < html.index("Hopeful")
        assert "Furious" not in html
        assert html.count('<section class="day"') == 2
        assert "three days" in html  # the client's own note, behind a <details>

    def test_date_filter(self, client, client_a):
        old = make_checkin(client_a, days_ago=10, emotions={"hopeful": 4})
        make_checkin(client_a, days_ago=1, emotions={"lonely": 6})
        client.force_login(client_a)
        day = old.local_date.isoformat()
        html = client.get("/history/", {"since": day, "until": day}).content.decode()
        assert "Hopeful" in html
        assert "Lonely" not in html
        html = client.get(
            "/history/", {"since": "2000-01-02", "until": "2000-01-01"}
        ).content.decode()
        assert "on or before" in html

    def test_empty(self, client, client_a):
        client.force_login(client_a)
        assert "No check-ins yet" in client.get("/history/").content.decode()

    def test_query_count_is_pinned(self, client, client_a, django_assert_max_num_queries):
        client.force_login(client_a)
        client.get("/history/")
        make_history(client_a, 3)
        with django_assert_max_num_queries(7) as small:
            assert client.get("/history/").status_code == 200
        make_history(client_a, 27)
        with django_assert_max_num_queries(7) as large:
            assert client.get("/history/").status_code == 200
        assert len(small) == len(large)


@pytest.mark.django_db
class TestAdmin:
    def test_emotion_tree_and_triggers(self, client, staff):
        verified_login(client, staff)
        html = client.get("/admin/journal/emotion/").content.decode()
        html = html[html.index('id="result_list"') :]
        assert (
            html.index("Happy") < html.index("Playful") < html.index("Amused") < html.index("Sad")
        )
        assert client.get("/admin/journal/emotion/?level__exact=1&q=sad").status_code == 200
        assert client.get("/admin/journal/emotion/?core=fearful").status_code == 200
        assert client.get("/admin/journal/trigger/").status_code == 200

    def test_checkin_admin_never_shows_the_note(self, client, staff, client_a):
        checkin = make_checkin(client_a, note=CANARY, emotions={"numb": 4})
        verified_login(client, staff)
        listing = client.get("/admin/journal/checkin/")
        detail = client.get(f"/admin/journal/checkin/{checkin.pk}/change/")
        assert listing.status_code == detail.status_code == 200
        for response in (listing, detail):
            assert "canary-5b1c" not in response.content.decode()
        assert "Numb" in detail.content.decode()
        # Read-only: no deleting around the aggregates.
        assert (
            client.post(f"/admin/journal/checkin/{checkin.pk}/delete/", {"post": "yes"}).status_code
            == 403
        )
        assert CheckIn.objects.filter(pk=checkin.pk).exists()

    def test_clientday_is_read_only(self, client, staff, client_a):
        make_checkin(client_a)
        day = ClientDay.objects.get()
        verified_login(client, staff)
        assert client.get("/admin/journal/clientday/").status_code == 200
        assert client.get("/admin/journal/clientday/add/").status_code == 403
        assert (
            client.post(f"/admin/journal/clientday/{day.pk}/change/", {"checkins": 9}).status_code
            == 403
        )


@pytest.mark.django_db
class TestEditAndDelete:
    """History entries can be changed or removed for EDIT_WINDOW_DAYS after saving,
    through journal.services.checkins, so the day's aggregate follows."""

    def test_the_window_is_stated_and_recent_entries_offer_a_change(self, client, client_a):
        checkin = make_checkin(client_a, felt_intensity=3, emotions={"numb": 6})
        client.force_login(client_a)
        html = client.get("/history/").content.decode()
        assert "You can change or remove a check-in for 7 days after saving it." in html
        assert f'href="/history/{checkin.pk}/edit/"' in html

    def test_change_a_check_in_and_its_day_follows(self, client, client_a):
        checkin = make_checkin(
            client_a, felt_intensity=3, emotions={"numb": 6}, symptoms={"fatigue": 2}
        )
        client.force_login(client_a)
        html = client.get(f"/history/{checkin.pk}/edit/").content.decode()
        assert re.search(r'id="em-numb"[^>]*checked', html)
        assert 'name="intensity_numb" id="int-numb" value="6"' in html
        assert re.search(r'value="3"[^>]*id="id_felt_intensity_3"[^>]*checked', html) or re.search(
            r'id="id_felt_intensity_3"[^>]*checked', html
        )
        response = client.post(
            f"/history/{checkin.pk}/edit/",
            {"felt_intensity": "7", "emotions": ["hopeful"], "intensity_hopeful": "8"},
        )
        assert response.status_code == 302
        checkin.refresh_from_db()
        assert checkin.felt_intensity == 7 and checkin.symptoms == {}
        assert [(r.emotion.slug, r.intensity) for r in checkin.ratings.all()] == [("hopeful", 8)]
        day = ClientDay.objects.get(client=client_a, date=checkin.local_date)
        assert day.felt_intensity == 7 and day.emotion_counts == {"hopeful": 1}

    def test_bad_input_changes_nothing(self, client, client_a):
        checkin = make_checkin(client_a, felt_intensity=3, emotions={"numb": 6})
        client.force_login(client_a)
        response = client.post(
            f"/history/{checkin.pk}/edit/", {"felt_intensity": "11", "emotions": ["numb"]}
        )
        assert response.status_code == 200 and "errorlist" in response.content.decode()
        checkin.refresh_from_db()
        assert checkin.felt_intensity == 3

    def test_remove_asks_first_then_removes_and_rebuilds_the_day(self, client, client_a):
        checkin = make_checkin(client_a, felt_intensity=3)
        client.force_login(client_a)
        page = client.get(f"/history/{checkin.pk}/delete/").content.decode()
        assert "Remove this check-in?" in page and "removed for good" in page
        assert CheckIn.objects.filter(pk=checkin.pk).exists()
        assert client.post(f"/history/{checkin.pk}/delete/").status_code == 302
        assert not CheckIn.objects.filter(pk=checkin.pk).exists()
        assert not ClientDay.objects.filter(client=client_a).exists()

    def test_past_the_window_or_not_yours_is_404(self, client, client_a, client_b):
        old = make_checkin(client_a, felt_intensity=3)
        CheckIn.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
        theirs = make_checkin(client_b, felt_intensity=3)
        client.force_login(client_a)
        assert f'href="/history/{old.pk}/edit/"' not in client.get("/history/").content.decode()
        for pk in (old.pk, theirs.pk):
            assert client.get(f"/history/{pk}/edit/").status_code == 404
            assert client.post(f"/history/{pk}/delete/").status_code == 404
        assert CheckIn.objects.count() == 2


@pytest.mark.django_db
class TestCalendar:
    def test_days_with_check_ins_link_to_that_day(self, client, client_a):
        checkin = make_checkin(client_a, felt_intensity=3)
        client.force_login(client_a)
        html = client.get("/history/").content.decode()
        day = checkin.local_date
        assert f"?since={day:%Y-%m-%d}&amp;until={day:%Y-%m-%d}" in html
        assert f'aria-label="{day.day} {day:%B}: 1 check-in"' in html

    @pytest.mark.parametrize("month", ["1899-01", "2026-13", "x", "99999-01", "2999-01"])
    def test_odd_months_fall_back_without_an_error(self, client, client_a, month):
        client.force_login(client_a)
        assert client.get(f"/history/?month={month}").status_code == 200


@pytest.mark.django_db
def test_home_reads_back_the_latest_check_in_not_the_days_average(client, client_a):
    make_checkin(client_a, felt_intensity=2, occurred_at=timezone.now() - timedelta(minutes=30))
    make_checkin(client_a, felt_intensity=3)
    client.force_login(client_a)
    html = client.get("/").content.decode()
    assert re.search(r"Your latest check-in \([^)]+\): 3 out of 10\.", html)
    assert 'class="spark-label"' in html  # the chart has its axis


@pytest.mark.django_db
def test_moving_the_calendar_does_not_filter(client, client_a):
    make_checkin(client_a, felt_intensity=3)
    client.force_login(client_a)
    html = client.get("/history/?month=2026-01").content.decode()
    assert "Show all" not in html and "No check-ins in these dates" not in html


@pytest.mark.parametrize("month", ["99999999999999999999-01", "2026-99999999999999999999"])
def test_a_month_past_what_a_date_holds_shows_this_month(client, client_a, month):
    client.force_login(client_a)
    response = client.get(f"/history/?month={month}")
    assert response.status_code == 200
