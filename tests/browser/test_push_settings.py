"""The settings page's notification switch after the server's VAPID key pair changed.

Headless Chromium cannot reach a real push service here, so the browser's PushManager is
played by a small script (what the browser would hold: a subscription and the key it was
made with); the page's own push.js, the API and the database are the real ones.
"""

import json

import pytest
from playwright.sync_api import expect

from accounts import push
from accounts.models import PushSubscription
from tests.accounts.push_helpers import Browser
from tests.browser.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vapid_keys"),
]

ENDPOINT = "https://fcm.googleapis.com/fcm/send/this-phone"

FAKE_PUSH_MANAGER = """
(([heldKey, subscription]) => {
  const bytes = (b64) => Uint8Array.from(atob(b64.replace(/-/g, "+").replace(/_/g, "/")), c => c.charCodeAt(0));
  const make = (key) => ({
    endpoint: subscription.endpoint,
    options: { applicationServerKey: key.buffer },
    toJSON: () => subscription,
    unsubscribe: () => { window.unsubscribed = (window.unsubscribed || 0) + 1; current = null; return Promise.resolve(true); },
  });
  let current = make(bytes(heldKey));
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
  PushManager.prototype.subscribe = function (options) {
    window.subscribedWith = Array.from(new Uint8Array(options.applicationServerKey));
    current = make(new Uint8Array(options.applicationServerKey));
    return Promise.resolve(current);
  };
})(%s);
"""


def _page(new_page, held_key: str):
    page = new_page(permissions=["notifications"])
    browser_side = Browser(ENDPOINT).to_json()
    page.add_init_script(FAKE_PUSH_MANAGER % json.dumps([held_key, browser_side]))
    return page


def test_a_subscription_made_with_an_earlier_key_is_renewed(new_page, client_a, password):
    old_key = Browser("x").to_json()["keys"]["p256dh"]  # any other P-256 public key
    PushSubscription.objects.create(
        user=client_a, endpoint=ENDPOINT, p256dh="x", auth="y", server_key=old_key
    )
    page = _page(new_page, old_key)
    login(page, client_a.email, password)
    page.goto("/accounts/profile/")
    expect(page.locator("#push-toggle")).to_have_attribute("aria-pressed", "true")
    current = push.public_key()
    assert page.evaluate("window.unsubscribed") == 1
    assert bytes(page.evaluate("window.subscribedWith")) == push.b64url_decode(current)
    (device,) = PushSubscription.objects.filter(user=client_a)
    assert device.server_key == current and device.endpoint == ENDPOINT
    assert page.js_errors == []


def test_a_subscription_with_the_current_key_is_left_alone(new_page, client_a, password):
    current = push.public_key()
    PushSubscription.objects.create(
        user=client_a, endpoint=ENDPOINT, p256dh="x", auth="y", server_key=current
    )
    page = _page(new_page, current)
    login(page, client_a.email, password)
    page.goto("/accounts/profile/")
    expect(page.locator("#push-toggle")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.unsubscribed") is None
    assert page.evaluate("window.subscribedWith") is None
    assert PushSubscription.objects.get(user=client_a).p256dh == "x"  # not posted again
