"""Web Push: keys, subscriptions (and what is refused), and delivery through a push
service played by a loopback HTTP server, decrypted with the browser's private key."""

import json
import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import push
from accounts.messaging import send_once
from accounts.models import PushSubscription, SentMessage
from accounts.push import Notification
from tests.accounts.push_helpers import Browser, b64url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vapid_keys")]

URL = "/api/v1/push-subscriptions/"
FCM = "https://fcm.googleapis.com/fcm/send/"


def reminder(url="/checkin/") -> Notification:
    return Notification(
        title="Companion", body="A moment to check in, if you like.", url=url, tag="reminder"
    )


VALID_P256DH = Browser("x").to_json()["keys"]["p256dh"]
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


class TestKeys:
    def test_a_pair_is_made_once_under_the_data_dir(self, api, tmp_path):
        first = api.get("/api/v1/push/public-key/").json()["key"]
        raw = push.b64url_decode(first)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)  # a real P-256 point
        key_file = tmp_path / "vapid-private.pem"
        assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
        push.vapid.cache_clear()
        assert api.get("/api/v1/push/public-key/").json()["key"] == first  # read back, not remade

    def test_keys_from_the_environment(self, settings):
        private = ec.generate_private_key(ec.SECP256R1())
        raw = private.private_numbers().private_value.to_bytes(32, "big")
        settings.VAPID_PRIVATE_KEY = b64url(raw)
        public = push.public_key()
        assert push.b64url_decode(public)[1:33] == private.public_key().public_numbers().x.to_bytes(
            32, "big"
        )

    def test_a_public_key_of_another_pair_is_refused(self, settings):
        settings.VAPID_PRIVATE_KEY = b64url(os.urandom(31) + b"\x01")
        settings.VAPID_PUBLIC_KEY = Browser("x").to_json()["keys"]["p256dh"]
        with pytest.raises(ImproperlyConfigured):
            push.public_key()


class TestSubscriptions:
    def test_subscribe_list_and_remove(self, api, client_a):
        body = Browser(FCM + "abc").to_json()
        created = api.as_(client_a).post(URL, body, format="json", HTTP_USER_AGENT=ANDROID)
        assert created.status_code == 201
        device = created.json()
        assert device["label"] == "Chrome on Android"
        assert device["service"] == "fcm.googleapis.com"
        assert PushSubscription.objects.get().server_key == push.public_key()
        again = api.as_(client_a).post(URL, body, format="json")
        assert (again.status_code, again.json()["id"]) == (200, device["id"])
        assert [d["id"] for d in api.as_(client_a).get(URL).json()] == [device["id"]]
        assert api.as_(client_a).delete(f"{URL}{device['id']}/").status_code == 204
        assert not PushSubscription.objects.exists()

    def test_new_keys_for_the_same_device_replace_the_old(self, api, client_a):
        browser = Browser(FCM + "abc")
        api.as_(client_a).post(URL, browser.to_json(), format="json")
        renewed = Browser(FCM + "abc")
        assert api.as_(client_a).post(URL, renewed.to_json(), format="json").status_code == 200
        stored = PushSubscription.objects.get()
        assert stored.p256dh == renewed.to_json()["keys"]["p256dh"]

    def test_another_accounts_device_moves_to_whoever_signed_in(self, api, client_a, client_b):
        body = Browser(FCM + "shared-tablet").to_json()
        api.as_(client_a).post(URL, body, format="json")
        assert api.as_(client_b).post(URL, body, format="json").status_code == 201
        assert list(PushSubscription.objects.values_list("user", flat=True)) == [client_b.pk]

    def test_someone_elses_device_is_404(self, api, client_a, client_b):
        device = api.as_(client_a).post(URL, Browser(FCM + "a").to_json(), format="json").json()
        assert api.as_(client_b).delete(f"{URL}{device['id']}/").status_code == 404
        assert PushSubscription.objects.count() == 1

    def test_at_most_ten_devices(self, api, client_a):
        for n in range(10):
            body = Browser(f"{FCM}{n}").to_json()
            assert api.as_(client_a).post(URL, body, format="json").status_code == 201
        eleventh = api.as_(client_a).post(URL, Browser(FCM + "11").to_json(), format="json")
        assert eleventh.status_code == 400
        assert "endpoint" in eleventh.json()
        assert PushSubscription.objects.count() == 10

    @pytest.mark.parametrize(
        "endpoint",
        [
            "http://fcm.googleapis.com/fcm/send/x",  # not https
            "ftp://fcm.googleapis.com/x",
            "https://evil.example/fcm.googleapis.com/x",  # unknown push service
            "https://fcm.googleapis.com.evil.example/x",
            "https://user:pw@fcm.googleapis.com/x",
            "https://fcm.googleapis.com:8443/x",
            "https://10.0.0.1/x",
            "https://fcm.googleapis.com/x\n",
            "https://fcm.googleapis.com/\x00",
            "https://fcm.googleapis.com/" + "x" * 2000,
            "https://[::1/x",
            "",
            "https://fcm.googleapis.com/ü",
            # parsers that disagree on the host: urllib3 (which sends) connects to 127.0.0.2
            "https://127.0.0.2\\.fcm.googleapis.com/fcm/send/x",
            "https://127.0.0.2\\@fcm.googleapis.com/x",
            "https://evil.example#@fcm.googleapis.com/x",
            "https://evil.example?.fcm.googleapis.com/x",
            "https://fcm.googleapis.com\t.evil.example/x",
            'https://fcm.googleapis.com/"x',
        ],
    )
    def test_an_endpoint_that_is_not_a_push_service_is_refused(self, api, client_a, endpoint):
        body = Browser(endpoint).to_json()
        response = api.as_(client_a).post(URL, body, format="json")
        assert response.status_code == 400
        assert "endpoint" in response.json()
        assert not PushSubscription.objects.exists()

    def test_loopback_http_only_in_development_and_tests(self, api, client_a, settings):
        body = Browser("http://127.0.0.1:9/push/x").to_json()
        settings.PUSH_ALLOW_LOOPBACK = False
        assert api.as_(client_a).post(URL, body, format="json").status_code == 400
        settings.PUSH_ALLOW_LOOPBACK = True
        assert api.as_(client_a).post(URL, body, format="json").status_code == 201

    @pytest.mark.parametrize(
        "keys",
        [
            {"p256dh": b64url(b"\x04" + os.urandom(63)), "auth": b64url(os.urandom(16))},  # short
            {"p256dh": b64url(b"\x04" + b"\x00" * 64), "auth": b64url(os.urandom(16))},  # off curve
            {"p256dh": b64url(b"\x02" + os.urandom(64)), "auth": b64url(os.urandom(16))},
            {"p256dh": "not base64!", "auth": b64url(os.urandom(16))},
            {"auth": b64url(os.urandom(16))},
            {"p256dh": None, "auth": b64url(os.urandom(16))},
            {"p256dh": VALID_P256DH, "auth": b64url(os.urandom(15))},
            {"p256dh": VALID_P256DH, "auth": "++//++//++//++//++//++"},
            {"p256dh": VALID_P256DH, "auth": 12345},
        ],
    )
    def test_keys_of_the_wrong_length_or_encoding_are_refused(self, api, client_a, keys):
        body = {"endpoint": FCM + "k", "keys": keys}
        response = api.as_(client_a).post(URL, body, format="json")
        assert response.status_code == 400
        assert "keys" in response.json()
        assert not PushSubscription.objects.exists()

    @settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        endpoint=st.one_of(st.text(max_size=300), st.from_regex(r"https://[a-z.]{1,30}/.{0,40}")),
        p256dh=st.one_of(st.text(max_size=120), st.binary(max_size=70).map(b64url)),
        auth=st.one_of(st.text(max_size=40), st.binary(max_size=20).map(b64url), st.integers()),
    )
    def test_hostile_subscriptions_get_a_400_never_a_500(
        self, api, client_a, endpoint, p256dh, auth
    ):
        body = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
        response = api.as_(client_a).post(URL, body, format="json")
        assert response.status_code in {200, 201, 400}
        if response.status_code == 400:
            assert set(response.json()) <= {"endpoint", "keys"}


def _subscribe(user, browser: Browser) -> PushSubscription:
    keys = browser.to_json()["keys"]
    return PushSubscription.objects.create(user=user, endpoint=browser.endpoint, **keys)


class TestDelivery:
    def test_the_device_decrypts_the_notification_and_no_email_goes(self, client_a, push_service):
        phone = push_service.browser("phone")
        _subscribe(client_a, phone)
        sent = send_once(
            key="reminder:test:1",
            kind="reminder",
            recipient=client_a,
            template="checkin-reminder",
            context={"client": client_a},
            push=reminder(),
        )
        assert sent is True
        (received,) = push_service.received
        assert received.path == "/push/phone"
        assert received.headers["content-encoding"] == "aes128gcm"
        assert received.headers["authorization"].startswith("vapid t=")
        assert received.headers["ttl"] == str(4 * 60 * 60)  # a stale reminder is dropped
        payload = json.loads(phone.decrypt(received.body))
        assert payload == {
            "title": "Companion",
            "body": "A moment to check in, if you like.",
            "url": "/checkin/",
            "tag": "reminder",
        }
        assert mail.outbox == []
        assert SentMessage.objects.get(key="reminder:test:1").channel == "push"
        assert PushSubscription.objects.get().last_sent_at is not None

    def test_a_retry_sends_nothing(self, client_a, push_service):
        _subscribe(client_a, push_service.browser("phone"))
        for _ in range(3):
            send_once(
                key="reminder:test:2",
                kind="reminder",
                recipient=client_a,
                template="checkin-reminder",
                context={"client": client_a},
                push=reminder(),
            )
        assert len(push_service.received) == 1 and mail.outbox == []

    def test_every_device_gets_it(self, client_a, push_service):
        for name in ("phone", "laptop"):
            _subscribe(client_a, push_service.browser(name))
        send_once(
            key="k", kind="reminder", recipient=client_a, template="checkin-reminder",
            context={"client": client_a}, push=reminder(),
        )  # fmt: skip
        assert sorted(r.path for r in push_service.received) == ["/push/laptop", "/push/phone"]

    @pytest.mark.parametrize("status", [404, 410])
    def test_a_device_the_service_forgot_is_removed_and_email_follows(
        self, client_a, push_service, status
    ):
        _subscribe(client_a, push_service.browser("old-phone"))
        push_service.status = status
        send_once(
            key="k", kind="reminder", recipient=client_a, template="checkin-reminder",
            context={"client": client_a}, push=reminder(),
        )  # fmt: skip
        assert not PushSubscription.objects.exists()
        assert len(mail.outbox) == 1
        assert SentMessage.objects.get(key="k").channel == "email"

    def test_one_forgotten_device_does_not_stop_the_others(self, client_a, push_service):
        _subscribe(client_a, push_service.browser("old"))
        _subscribe(client_a, push_service.browser("new"))
        push_service.status_for["/push/old"] = 410
        send_once(
            key="k", kind="reminder", recipient=client_a, template="checkin-reminder",
            context={"client": client_a}, push=reminder(),
        )  # fmt: skip
        assert [s.endpoint.rsplit("/", 1)[1] for s in PushSubscription.objects.all()] == ["new"]
        assert mail.outbox == []

    def test_a_failing_service_keeps_the_device_and_email_follows(self, client_a, push_service):
        _subscribe(client_a, push_service.browser("phone"))
        push_service.status = 500
        send_once(
            key="k", kind="reminder", recipient=client_a, template="checkin-reminder",
            context={"client": client_a}, push=reminder(),
        )  # fmt: skip
        assert PushSubscription.objects.count() == 1
        assert len(mail.outbox) == 1

    def test_an_unreachable_service_keeps_the_device_and_email_follows(self, client_a):
        _subscribe(client_a, Browser("http://127.0.0.1:9/push/nothing-listens"))
        send_once(
            key="k", kind="reminder", recipient=client_a, template="checkin-reminder",
            context={"client": client_a}, push=reminder(),
        )  # fmt: skip
        assert PushSubscription.objects.count() == 1
        assert len(mail.outbox) == 1

    def test_a_device_subscribed_with_an_earlier_key_is_removed_unasked(
        self, client_a, push_service
    ):
        """After the key pair changed the push service would refuse it every time: it is
        dropped without a request (the settings page subscribes again with the new key);
        a device from before keys were kept (blank) is still tried."""
        old = _subscribe(client_a, push_service.browser("old-key"))
        old.server_key = Browser("x").to_json()["keys"]["p256dh"]
        old.save()
        unknown = _subscribe(client_a, push_service.browser("unknown-key"))
        current = _subscribe(client_a, push_service.browser("this-key"))
        current.server_key = push.public_key()
        current.save()
        send_once(
            key="k", kind="reminder", recipient=client_a, template="checkin-reminder",
            context={"client": client_a}, push=reminder(),
        )  # fmt: skip
        assert sorted(r.path for r in push_service.received) == [
            "/push/this-key",
            "/push/unknown-key",
        ]
        assert sorted(PushSubscription.objects.values_list("pk", flat=True)) == sorted(
            [unknown.pk, current.pk]
        )
        assert mail.outbox == []

    def test_an_address_stored_before_todays_check_is_never_sent_to(self, client_a, push_service):
        _subscribe(client_a, Browser("https://127.0.0.2\\.fcm.googleapis.com/fcm/send/x"))
        send_once(
            key="k", kind="reminder", recipient=client_a, template="checkin-reminder",
            context={"client": client_a}, push=reminder(),
        )  # fmt: skip
        assert not PushSubscription.objects.exists()
        assert len(mail.outbox) == 1 and push_service.received == []

    def test_no_device_means_email(self, client_a):
        send_once(
            key="k", kind="reminder", recipient=client_a, template="checkin-reminder",
            context={"client": client_a}, push=reminder(),
        )  # fmt: skip
        assert len(mail.outbox) == 1
