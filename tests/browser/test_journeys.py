"""The main journeys of each role, in Debian's chromium, at desktop and phone sizes."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import OutboxMessage
from journal.models import CheckIn, HomeworkLog
from tests.browser.conftest import DESKTOP, PHONE, login, login_verified
from tests.browser.world import build_flagged_client
from therapists.models import Flag

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_client_checks_in_without_naming_a_feeling(new_page, viewport, client_a, password):
    name, size = viewport
    page = new_page(size)
    login(page, client_a.email, password)
    expect(page.get_by_role("heading", name="Today's check-in")).to_be_visible()
    expect(page.get_by_role("link", name="I don't feel safe right now")).to_be_visible()
    page.get_by_role("link", name="Check in now").click()
    expect(page).to_have_url(re.compile(r"/checkin/$"))

    page.locator("label[for=id_felt_intensity_2]").click()
    page.get_by_label("I can't name anything right now").check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page).to_have_url(re.compile(r"/checkin/saved/\d+/$"))
    expect(page.get_by_role("heading", name="Saved. Thank you for checking in.")).to_be_visible()
    checkin = CheckIn.objects.get(client=client_a)
    assert checkin.felt_intensity == 2 and not checkin.ratings.exists()

    page.goto("/")
    expect(page.get_by_text("You checked in today.")).to_be_visible()
    if name == "phone":  # the main links fold behind a Menu button
        expect(page.get_by_role("link", name="History")).to_be_hidden()
        page.get_by_role("button", name="Menu").click()
        expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="Your check-ins")).to_be_visible()
    expect(page.locator("main")).to_contain_text("2")
    page.goto("/insights/")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.get_by_text("Days without a check-in are left as gaps.").first).to_be_attached()
    assert not page.js_errors, page.js_errors


def test_phq9_item_nine_shows_crisis_resources(new_page, viewport, client_a, password):
    _name, size = viewport
    page = new_page(size)
    login(page, client_a.email, password)
    page.goto("/assessments/phq9/")
    for item in range(1, 10):
        value = 1 if item == 9 else 0
        page.locator(f"label[for=id_item_{item}_{value}]").click()
    page.get_by_role("button", name="See my result").click()
    expect(page).to_have_url(re.compile(r"/safety/"))
    expect(page.get_by_role("heading", name="You deserve support right now")).to_be_visible()
    expect(page.get_by_role("heading", name="Emergency services")).to_be_visible()
    assert OutboxMessage.objects.filter(task_name="therapists.tasks.raise_safety_flag").exists()


def test_therapist_acknowledges_a_flag(new_page, viewport, client_a, therapist_a, password):
    name, size = viewport
    build_flagged_client(client_a, therapist_a)
    page = new_page(size)
    login_verified(page, therapist_a, password)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    page.get_by_role("link", name=client_a.display_name).click()
    # The heading says what the chart shows: the phone's chart is the newest four weeks.
    shown = "last 4 weeks" if name == "phone" else "last 90 days"
    expect(page.get_by_role("heading", name=f"How they have been feeling, {shown}")).to_be_visible()
    expect(page.locator(".chart svg[role=img]:visible").first).to_be_visible()
    flag = Flag.objects.get(client=client_a, kind="blunting")
    page.locator(f"#ack-note-{flag.pk}").fill("Talked about it; reviewing dose with GP.")
    page.get_by_role("button", name="Acknowledge").first.click()
    page.wait_for_load_state("load")
    flag.refresh_from_db()
    assert flag.status == "acknowledged"
    if name == "phone":  # nothing on the client page scrolls the whole page sideways
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width


def test_homework_assigned_logged_and_seen(new_page, viewport, client_a, therapist_a, password):
    _name, size = viewport
    therapist = new_page(size)
    login_verified(therapist, therapist_a, password)
    therapist.goto(f"/dashboard/clients/{client_a.pk}/homework/")
    therapist.get_by_label("Title").fill("Name three feelings")
    therapist.get_by_label("How often").select_option("daily")
    therapist.get_by_role("button", name="Assign").click()
    expect(therapist.get_by_role("heading", name="Name three feelings")).to_be_visible()

    client = new_page(size)
    login(client, client_a.email, password)
    expect(client.get_by_role("link", name="Name three feelings")).to_be_visible()  # due today
    client.goto("/homework/")
    client.get_by_text("I did this").click()
    client.get_by_label("Before the task: how much could you feel?").fill("3")
    client.get_by_label("After it: how much can you feel now?").fill("5")
    client.get_by_role("button", name="Save").click()
    expect(client.get_by_text("Logged. Thank you for making time for this.")).to_be_visible()
    assert HomeworkLog.objects.filter(assignment__client=client_a).count() == 1

    therapist.reload()
    expect(therapist.get_by_text("1 completion this week")).to_be_visible()
    expect(therapist.get_by_text("14-day adherence: 100%")).to_be_visible()


def test_keyboard_only_check_in(new_page, client_a, password):
    page = new_page(DESKTOP)
    login(page, client_a.email, password)
    page.goto("/checkin/")

    def tab_to(predicate: str, limit: int = 400) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
                return
        raise AssertionError(f"never reached {predicate} with Tab")

    tab_to("el.name === 'felt_intensity'")
    page.keyboard.press("Space")  # the first choice of the group: 0, "nothing"
    tab_to("el.name === 'cant_name'")
    page.keyboard.press("Space")
    tab_to("el.type === 'submit' && el.textContent.includes('Save check-in')")
    # The focused control is visibly outlined.
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", outline
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/checkin/saved/\d+/$"))
    checkin = CheckIn.objects.get(client=client_a)
    assert checkin.felt_intensity == 0


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_staff_admin_pages_load(new_page, size, staff, password):
    page = new_page(size)
    login_verified(page, staff, password)
    for url in [
        "/admin/",
        "/admin/companion/article/",
        "/admin/companion/article/add/",
        "/admin/companion/crisisresource/",
        "/admin/journal/emotion/",
        "/admin/journal/homeworktemplate/",
        "/admin/accounts/user/?role__exact=therapist",
        "/admin/accounts/auditevent/",
        "/admin/django_celery_beat/periodictask/",
    ]:
        response = page.goto(url)
        assert response.status == 200, (url, response.status)
        expect(page.locator("#content")).to_be_visible()
    page.goto("/admin/companion/article/?q=numbness")
    expect(
        page.get_by_role("link", name="Feeling numb: what emotional numbness is")
    ).to_be_visible()
