"""The installable portal in Debian's chromium (#20): Chromium's installability check, and a
check-in made without a connection that is stored exactly once, with the time it was made."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from journal.models import CheckIn
from tests.browser.conftest import CHROMIUM, DESKTOP, PHONE, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

CONTROLLED = "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null"


def _controlled(page) -> None:
    """The service worker installed, activated and in charge of this page."""
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate(CONTROLLED):
        page.reload()
    page.wait_for_function(CONTROLLED, timeout=15_000)


WAITING = "async () => (await CompanionOutbox.all()).length"


def _wait_for(predicate, seconds=15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return predicate()


def test_chromium_finds_the_portal_installable(browser, live_server, client_a, password, tmp_path):
    """In a real (not incognito) profile, as a person's browser is: Chromium's own check."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        base_url=live_server.url,
        viewport=DESKTOP,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        login(page, client_a.email, password)
        _controlled(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [], manifest["errors"]
        assert manifest["url"].endswith("/manifest.webmanifest")
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == [], errors
    finally:
        context.close()


def test_a_checkin_made_offline_is_stored_once_with_its_time(new_page, client_a, password):
    page = new_page(PHONE)
    login(page, client_a.email, password)
    _controlled(page)
    page.goto("/checkin/")
    _controlled(page)

    page.context.set_offline(True)
    page.goto("/checkin/")  # no connection: the worker answers with the form's shell
    expect(page.get_by_role("heading", name="How are you, right now?")).to_be_visible()
    made_at = timezone.now()
    page.locator("label[for=id_felt_intensity_3]").click()
    page.get_by_label("I can't name anything right now").check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator("#checkin-kept")).to_be_visible()
    expect(page.locator("#checkin-kept")).to_contain_text("Kept on this device")
    expect(page.locator("#outbox-status")).to_contain_text("waiting on this device")
    time.sleep(2)  # so the arrival is measurably later than the making
    assert not CheckIn.objects.filter(client=client_a).exists()

    # Watched on the device (the outbox empties when the server has it): the test's own
    # database connection stays out of the server's way until then.
    assert page.evaluate(WAITING) == 1
    page.context.set_offline(False)  # the "online" event sends it
    if not _wait_for(lambda: page.evaluate(WAITING) == 0, 8):
        page.goto("/")  # and failing that, the next page load does
    assert _wait_for(lambda: page.evaluate(WAITING) == 0)
    checkin = CheckIn.objects.get(client=client_a)
    assert checkin.felt_intensity == 3 and not checkin.ratings.exists()
    assert checkin.client_uuid is not None
    assert abs(checkin.occurred_at - made_at) < timedelta(seconds=5)  # when it was made
    assert checkin.created_at - checkin.occurred_at >= timedelta(seconds=1.5)  # not arrival

    # The same check-in sent again (a second tab, a retried sync) stores nothing new.
    page.goto("/")
    page.evaluate(
        """async (uuid) => {
            await CompanionOutbox.add({client_uuid: uuid, url: "/api/v1/checkins/",
              body: {client_uuid: uuid, felt_intensity: 3, emotions: []},
              csrf: "", saved_at: new Date().toISOString()});
            return await Companion.flush();
        }""",
        str(checkin.client_uuid),
    )
    assert _wait_for(lambda: page.evaluate(WAITING) == 0)
    assert CheckIn.objects.filter(client=client_a).count() == 1
    expect(page.locator("#outbox-status")).not_to_contain_text("waiting")
    assert not [e for e in page.js_errors if not re.search(r"ERR_INTERNET_DISCONNECTED", e)]
