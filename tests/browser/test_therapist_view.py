"""The therapist's view in a real browser at phone and desktop size (#16): the caseload
with scores, the medication beside a flag and safety first; the client page's score panel
and chart without sideways scrolling; inviting a client by email through to sign-up; the
therapist's own settings. axe-core finds no serious or critical problem on any of them."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from journal import instruments
from tests.browser.conftest import PHONE, axe_violations, login_verified
from tests.browser.world import build_flagged_client
from tests.factories import CareFactory, ClientFactory
from tests.journal.factories import AssessmentFactory
from therapists.models import Flag

pytestmark = pytest.mark.django_db(transaction=True)


def scores(client, *points):
    for instrument, score, days_ago in points:
        AssessmentFactory(
            client=client,
            instrument=instrument,
            score=score,
            severity=instruments.severity_for(instrument, score),
            taken_at=timezone.now() - timedelta(days=days_ago),
        )


def no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def test_caseload_scores_medication_and_safety_first(
    new_page, viewport, axe_source, client_a, therapist_a, password
):
    name, size = viewport
    build_flagged_client(client_a, therapist_a)
    scores(client_a, ("phq9", 16, 40), ("phq9", 9, 3))
    unsafe = ClientFactory(display_name="Robin")
    CareFactory(therapist=therapist_a, client=unsafe)
    Flag.objects.create(client=unsafe, kind="safety", level="flagged", raised_at=timezone.now())
    page = new_page(size)
    login_verified(page, therapist_a, password)
    rows = page.locator(".caseload > li")
    expect(rows.first).to_contain_text("Robin")  # safety first
    expect(rows.first).to_contain_text("Safety: may not be safe")
    alex = rows.filter(has_text=client_a.display_name)
    expect(alex).to_contain_text("Blunting began after: Sertraline dose increased")
    expect(alex).to_contain_text("PHQ-9 9")
    expect(alex.get_by_role("img", name=re.compile("Felt intensity, last 4 weeks"))).to_be_visible()
    assert axe_violations(page, axe_source) == []
    if name == "phone":
        no_sideways_scroll(page)


def test_client_page_scores_and_chart(
    new_page, viewport, axe_source, client_a, therapist_a, password
):
    name, size = viewport
    build_flagged_client(client_a, therapist_a)
    scores(client_a, ("phq9", 16, 56), ("phq9", 12, 28), ("gad7", 11, 56), ("gad7", 6, 7))
    page = new_page(size)
    login_verified(page, therapist_a, password)
    page.goto(f"/dashboard/clients/{client_a.pk}/")
    panel = page.locator(".score-panel").first
    expect(panel).to_contain_text("PHQ-9")
    expect(panel).to_contain_text("down 4 points since the last result")
    expect(page.get_by_role("img", name="PHQ-9 results")).to_be_visible()
    # One of the two trend charts shows: 90 days on a wide screen, 28 on a phone.
    chart = page.get_by_role("img", name="Last 28 days" if name == "phone" else "Last 90 days")
    expect(chart).to_be_visible()
    expect(page.locator(".marker-list")).to_contain_text("Sertraline — Dose increased")
    assert axe_violations(page, axe_source) == []
    if name == "phone":
        no_sideways_scroll(page)


def test_invite_by_email_through_to_sign_up(new_page, viewport, axe_source, therapist_a, password):
    name, size = viewport
    page = new_page(size)
    login_verified(page, therapist_a, password)
    page.goto("/accounts/invite/")
    page.get_by_label("Client's email").fill(f"invited.{name}@example.test")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("We have emailed an invitation")
    expect(page.locator(".invitations")).to_contain_text(f"invited.{name}@example.test")
    assert axe_violations(page, axe_source) == []
    message = next(m for m in mail.outbox if m.to == [f"invited.{name}@example.test"])
    link = re.search(r"https?://\S+/accounts/join/\S+/", message.body).group(0)
    newcomer = new_page(size, timezone_id="America/Chicago")
    newcomer.goto(link.removeprefix(settings.SITE_URL))
    expect(newcomer.get_by_role("status")).to_contain_text(
        f"{therapist_a.display_name} invited you"
    )
    expect(newcomer.get_by_label("Email")).to_have_value(f"invited.{name}@example.test")
    expect(newcomer.get_by_label("Email")).to_be_disabled()
    expect(newcomer.get_by_label("Time zone")).to_have_value("America/Chicago")  # guessed
    assert axe_violations(newcomer, axe_source) == []
    newcomer.get_by_label("Your name").fill("Invited Person")
    newcomer.get_by_label("Password").fill("a-fresh-passphrase-7")
    newcomer.get_by_role("button", name="Create account").click()
    expect(newcomer).to_have_url(re.compile(r"/accounts/login/"))
    from accounts.models import User

    person = User.objects.get(email=f"invited.{name}@example.test")
    assert person.timezone == "America/Chicago"
    assert User.objects.clients_of(therapist_a).filter(pk=person.pk).exists()
    if name == "phone":
        no_sideways_scroll(newcomer)


def test_therapist_settings(new_page, viewport, axe_source, therapist_a, password):
    name, size = viewport
    page = new_page(size)
    login_verified(page, therapist_a, password)
    page.goto("/accounts/profile/")
    expect(
        page.get_by_label("Email me the weekly caseload digest (Monday morning)")
    ).to_be_checked()
    expect(page.get_by_text("Reminder 1")).to_have_count(0)
    expect(page.get_by_role("button", name="Make new backup codes")).to_be_visible()
    assert axe_violations(page, axe_source) == []
    page.get_by_label("Email me the weekly caseload digest (Monday morning)").uncheck()
    # Notifications: the switch for this device (the browser has a service worker and
    # the Push API), and the choice of safety alerts on devices.
    expect(page.get_by_role("button", name="Turn on notifications on this device")).to_be_visible()
    expect(page.get_by_text("This browser cannot show notifications")).to_be_hidden()
    page.get_by_label("Also show safety alerts as a notification on my devices").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Your settings are saved")).to_be_visible()
    therapist_a.refresh_from_db()
    assert therapist_a.weekly_digest_opt_in is False
    assert therapist_a.push_safety_alerts is True
    page.get_by_role("button", name="Make new backup codes").click()
    expect(page.locator("code").first).to_be_visible()
    if name == "phone":
        no_sideways_scroll(page)
