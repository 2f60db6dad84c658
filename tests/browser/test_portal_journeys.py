"""The journeys of issue #17 at phone and desktop sizes, each page scanned by axe-core
(0 serious or critical): a quick check-in (taps and page weight measured), finding
"numb" by search, medications, homework, history (change, remove, calendar), the crisis
page after an alert, and a content-staff session in the admin."""

import json
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import OutboxMessage
from journal.models import CheckIn, Emotion, HomeworkLog, MedicationEvent
from journal.services.checkins import RatingInput, checkin_create
from journal.services.homework import homework_assign
from tests.browser.conftest import PHONE, axe_violations, login, login_verified
from tests.factories import StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

MEASURES = Path(__file__).resolve().parents[2] / "docs" / "measures" / "checkin.json"


def clean(page, axe_source) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    found = axe_violations(page, axe_source)
    assert not found, found
    assert not page.js_errors, page.js_errors


class Taps:
    """Counts what a person taps (or clicks); typing into a box counts as one."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


def test_a_regular_checks_in_with_few_taps(new_page, viewport, client_a, password, axe_source):
    """3 feelings, the felt intensity, 2 symptom answers, save: one tap each, because a
    regular's feelings are offered first. Also measures what the page weighs."""
    name, size = viewport
    for slug in ("numb", "tired", "hopeful"):  # what Alex has named before
        checkin_create(
            client=client_a,
            felt_intensity=4,
            emotions=[RatingInput(slug, 5)],
            occurred_at=timezone.now() - timedelta(days=1),
        )
    page = new_page(size)
    login(page, client_a.email, password)
    response = page.goto("/checkin/", wait_until="load")
    html_bytes = len(response.body())
    weight = page.evaluate(
        """() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const res = performance.getEntriesByType('resource');
          return {document: nav.encodedBodySize, decoded: nav.decodedBodySize,
                  resources: res.reduce((n, r) => n + r.encodedBodySize, 0),
                  requests: res.length + 1,
                  height: document.documentElement.scrollHeight};
        }"""
    )
    clean(page, axe_source)
    page.reload()

    tap = Taps()
    tap(page.locator("label[for=id_felt_intensity_3]"))
    for slug in ("numb", "tired", "hopeful"):
        tap(page.locator(f"label[for=q-{slug}]"))
    tap(page.locator("label[for=id_symptom_autopilot_2]"))
    tap(page.locator("label[for=id_symptom_disconnected_1]"))
    expect(page.locator("#strengths")).to_be_visible()  # a slider per feeling, at 5
    tap(page.get_by_role("button", name="Save check-in"))
    expect(page).to_have_url(re.compile(r"/checkin/saved/\d+/$"))
    checkin = CheckIn.objects.order_by("-pk").first()
    assert checkin.felt_intensity == 3
    assert sorted(r.emotion.slug for r in checkin.ratings.all()) == ["hopeful", "numb", "tired"]
    assert checkin.symptoms == {"autopilot": 2, "disconnected": 1}
    assert tap.count == 7

    # The 0-10 scale and each symptom's answers sit on one row.
    page.goto("/checkin/")
    tops = page.eval_on_selector_all(
        ".scale-11 label", "els => new Set(els.map(e => e.getBoundingClientRect().top)).size"
    )
    assert tops == 1
    rows = page.eval_on_selector_all(
        ".symptom .scale-4",
        "els => els.map(g => new Set([...g.querySelectorAll('label')].map(l => l.getBoundingClientRect().top)).size)",
    )
    assert rows == [1] * 6
    assert html_bytes < 48_000, html_bytes  # was 96 KB with the nested wheel
    if not os.environ.get("COMPANION_MEASURE"):  # COMPANION_MEASURE=1 refreshes docs/measures
        return
    MEASURES.parent.mkdir(parents=True, exist_ok=True)
    record = json.loads(MEASURES.read_text()) if MEASURES.exists() else {}
    record[name] = {"taps": tap.count, "html_bytes": html_bytes, **weight}
    MEASURES.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")


def test_numb_is_found_by_search_and_flat_finds_it_too(new_page, viewport, client_a, password):
    _name, size = viewport
    page = new_page(size)
    login(page, client_a.email, password)
    page.goto("/checkin/")
    page.locator("label[for=id_felt_intensity_1]").click()
    search = page.get_by_label("Find a feeling")
    search.fill("flat")
    expect(page.locator("label[for=em-numb]")).to_be_visible()
    expect(page.locator("label[for=em-happy]")).to_be_hidden()
    search.fill("numb")
    # Found alone: not under the heading of its place on the wheel ("Angry").
    expect(page.locator("#core-angry")).to_be_hidden()
    search.fill("ok")  # from the start of a word: "okay"-like words, not "provoked"
    expect(page.locator("label[for=em-provoked]")).to_be_hidden()
    search.fill("numb")
    page.locator("label[for=em-numb]").click()
    expect(page.locator("#em-numb")).to_be_checked()
    page.locator("#int-numb").fill("8")
    page.get_by_role("button", name="Save check-in").click()
    expect(page).to_have_url(re.compile(r"/checkin/saved/\d+/$"))
    [rating] = CheckIn.objects.get(client=client_a).ratings.all()
    assert (rating.emotion.slug, rating.intensity) == ("numb", 8)


def test_cant_name_anything_is_still_one_tap(new_page, client_a, password):
    page = new_page(PHONE)
    login(page, client_a.email, password)
    page.goto("/checkin/")
    page.locator("label[for=id_felt_intensity_0]").click()
    page.get_by_label("I can't name anything right now").check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("None named — and that is a valid answer.")).to_be_visible()


def test_medications_on_a_phone(new_page, viewport, client_a, password, axe_source):
    _name, size = viewport
    page = new_page(size)
    login(page, client_a.email, password)
    page.goto("/medications/")
    page.get_by_label("Medication").fill("Sertraline")
    page.get_by_label("Dose").fill("50 mg")
    page.get_by_role("button", name="Save").click()  # the date is today already
    expect(page.get_by_text("Saved to your medication history.")).to_be_visible()
    page.get_by_role("link", name="Note a change to Sertraline").click()
    expect(page.get_by_label("Medication")).to_have_value("Sertraline")
    page.get_by_label("What happened").select_option("side_effect")
    page.get_by_label("Side effect (if that is what you noticed)").select_option("blunting")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Side effects you noted: Emotional blunting / numbness")
    ).to_be_visible()
    assert MedicationEvent.objects.filter(client=client_a).count() == 2
    assert page.locator("main table").count() == 0
    # Nothing on the page is wider than the screen (no sideways scrolling, no split words).
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size["width"]
    clean(page, axe_source)


def test_homework_done_today_stays_under_today(
    new_page, viewport, client_a, therapist_a, password, axe_source
):
    _name, size = viewport
    homework_assign(therapist=therapist_a, client=client_a, title="Evening walk", frequency="daily")
    page = new_page(size)
    login(page, client_a.email, password)
    page.goto("/homework/")
    page.get_by_role("link", name="I did this").click()  # a button-styled link, not a triangle
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Done today. Well done.")).to_be_visible()
    today = page.locator("h2", has_text="For today")
    expect(today).to_be_visible()
    expect(page.get_by_role("heading", name="Later this week")).to_have_count(0)
    assert HomeworkLog.objects.filter(assignment__client=client_a).count() == 1
    clean(page, axe_source)


def test_history_change_remove_and_calendar(new_page, viewport, client_a, password, axe_source):
    _name, size = viewport
    checkin = checkin_create(client=client_a, felt_intensity=2, emotions=[RatingInput("numb", 6)])
    page = new_page(size)
    login(page, client_a.email, password)
    page.goto("/history/")
    expect(page.get_by_text("You can change or remove a check-in for 7 days")).to_be_visible()
    day = timezone.localtime(checkin.occurred_at).date()
    expect(
        page.get_by_role("link", name=re.compile(rf"^{day.day} {day:%B}: 1 check-in"))
    ).to_be_visible()
    clean(page, axe_source)
    page.get_by_role("link", name=re.compile("Change or remove")).click()
    page.locator("label[for=id_felt_intensity_5]").click()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    checkin.refresh_from_db()
    assert checkin.felt_intensity == 5
    page.goto(f"/history/{checkin.pk}/edit/")
    page.get_by_role("link", name="Remove this check-in").click()
    clean(page, axe_source)
    page.get_by_role("button", name="Yes, remove it").click()
    expect(page.get_by_text("That check-in is removed.")).to_be_visible()
    assert not CheckIn.objects.filter(client=client_a).exists()


def test_crisis_page_after_an_alert_does_not_offer_a_second(new_page, viewport, client_a, password):
    _name, size = viewport
    page = new_page(size)
    login(page, client_a.email, password)
    page.goto("/assessments/phq9/")
    for item in range(1, 10):
        page.locator(f"label[for=id_item_{item}_{1 if item == 9 else 0}]").click()
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_text("Your therapist has been told")).to_be_visible()
    expect(page.get_by_role("button", name="Tell my therapist now")).to_have_count(0)
    expect(page.get_by_text("You don't need to send it again.")).to_be_visible()
    assert OutboxMessage.objects.filter(task_name="therapists.tasks.raise_safety_flag").count() == 1


def test_content_staff_edit_the_vocabulary_and_read_the_email_wording(
    new_page, viewport, password, axe_source, settings
):
    _name, size = viewport
    # The change page loads the feeling and then its parent: two gets of one model in one
    # request, which django-zeal (tests only) would take for an N+1.
    settings.ZEAL_ALLOWLIST = [
        *settings.ZEAL_ALLOWLIST,
        {"model": "journal.Emotion", "field": "get()"},
    ]
    person = StaffFactory(email="casey@example.test", display_name="Casey", is_superuser=False)
    person.groups.add(Group.objects.get(name="content"))
    page = new_page(size)
    login_verified(page, person, password)
    page.goto("/admin/")
    expect(page.get_by_role("link", name="Emotions")).to_be_visible()
    expect(page.get_by_role("link", name="Access attempts")).to_have_count(0)
    expect(page.get_by_role("link", name="Outbox messages")).to_have_count(0)
    clean(page, axe_source)
    numb = Emotion.objects.get(slug="numb")
    page.goto(f"/admin/journal/emotion/{numb.pk}/change/")
    page.get_by_label("Other words").fill(numb.synonyms + ", switched off")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    numb.refresh_from_db()
    assert "switched off" in numb.synonyms
    page.goto("/admin/accounts/messagetemplate/")
    expect(page.get_by_text("A moment to check in")).to_be_visible()
    clean(page, axe_source)
    assert page.goto("/admin/accounts/auditevent/").status == 403
