"""A client nobody here wrote: openapi-python-client generates a typed Python client from
the schema the server serves, and a short journey runs through it against the live
server: register, sign in, check in, list, and a therapist (token after the second step)
reading the caseload. A schema a generator cannot use, or an answer the schema does not
describe (``raise_on_unexpected_status``), fails the build.
"""

import importlib
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
import time_machine

from tests.factories import PASSWORD, CareFactory, TherapistFactory

BIN = Path(sys.executable).parent
GENERATOR = shutil.which("openapi-python-client", path=str(BIN)) or shutil.which(
    "openapi-python-client"
)

# Midday in every test zone: a run after 23:00 UTC is already tomorrow in Berlin.
MIDDAY = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def generate(base_url: str, folder: Path):
    schema = requests.get(f"{base_url}/api/schema/", timeout=30)
    assert schema.status_code == 200
    (folder / "schema.yaml").write_bytes(schema.content)
    result = subprocess.run(
        [
            GENERATOR,
            "generate",
            "--path",
            str(folder / "schema.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(folder / "companion_api_client"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}"},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Warning" not in output, output  # every part of the schema became code
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module("companion_api_client")
    finally:
        sys.path.remove(str(folder))


def therapist_token(base_url: str, therapist) -> str:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=therapist, name="phone", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    answer = requests.post(
        f"{base_url}/api/v1/auth/token/",
        json={"email": therapist.email, "password": PASSWORD, "otp": f"{totp.token():06d}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


@pytest.mark.django_db(transaction=True)
@time_machine.travel(MIDDAY, tick=True)  # not across the client's midnight
def test_a_generated_client_runs_a_journey(live_server, tmp_path):
    pkg = generate(live_server.url, tmp_path)
    api = importlib.import_module("companion_api_client.api.auth.auth_register_create")
    token_api = importlib.import_module("companion_api_client.api.auth.auth_token_create")
    checkin_create = importlib.import_module("companion_api_client.api.checkins.checkins_create")
    checkin_list = importlib.import_module("companion_api_client.api.checkins.checkins_list")
    caseload = importlib.import_module("companion_api_client.api.clients.clients_list")
    models = importlib.import_module("companion_api_client.models")

    anonymous = pkg.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    registered = api.sync_detailed(
        client=anonymous,
        body=models.RegisterRequest(
            email="generated@example.test",
            password="a-generated-passphrase-7",
            display_name="Gen",
            timezone="Europe/Berlin",
        ),
    )
    assert registered.status_code == 201
    assert registered.parsed.email == "generated@example.test"

    signed_in = token_api.sync_detailed(
        client=anonymous,
        body=models.TokenRequestRequest(
            email="generated@example.test", password="a-generated-passphrase-7"
        ),
    )
    assert signed_in.status_code == 200
    me = pkg.AuthenticatedClient(
        base_url=live_server.url,
        token=signed_in.parsed.token,
        prefix="Token",
        raise_on_unexpected_status=True,
    )

    made = checkin_create.sync_detailed(
        client=me,
        body=models.CheckInInputRequest(
            felt_intensity=3,
            emotions=[models.EmotionRatingInputRequest(emotion="numb", intensity=4)],
            note="through a generated client",
        ),
    )
    assert made.status_code == 201, made.content
    assert made.parsed.felt_intensity == 3

    listed = checkin_list.sync_detailed(client=me)
    assert listed.status_code == 200
    assert [c.id for c in listed.parsed.results] == [made.parsed.id]

    refused = checkin_create.sync_detailed(
        client=me, body=models.CheckInInputRequest(felt_intensity=11)
    )
    assert refused.status_code == 400
    assert "felt_intensity" in refused.parsed.additional_properties

    from accounts.models import User

    client = User.objects.get(email="generated@example.test")
    therapist = TherapistFactory(email="gen.therapist@example.test")
    CareFactory(therapist=therapist, client=client)
    as_therapist = pkg.AuthenticatedClient(
        base_url=live_server.url,
        token=therapist_token(live_server.url, therapist),
        prefix="Token",
        raise_on_unexpected_status=True,
    )
    rows = caseload.sync_detailed(client=as_therapist)
    assert rows.status_code == 200
    assert [r.id for r in rows.parsed.results] == [client.pk]
    assert rows.parsed.results[0].checkins_7d == 1
