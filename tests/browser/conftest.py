"""Browser tests: Playwright driving Debian's chromium against the live test server.

Skipped (with the reason) when /usr/bin/chromium is missing; .ci/run installs it.
axe-core comes from the npm registry (package.json); the scan is skipped only when
node_modules/axe-core is missing and npm is not on the machine.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists() and shutil.which("npm"):
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent"],
            cwd=ROOT,
            check=False,
            timeout=300,
        )
    if not AXE.exists():
        if os.environ.get("COMPANION_REQUIRE_SERVICES") == "1":
            pytest.fail("axe-core is not installed (npm install)")
        pytest.skip("axe-core is not installed (npm install)")
    return AXE.read_text()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=["desktop", "phone"])
def viewport(request):
    return request.param, (PHONE if request.param == "phone" else DESKTOP)


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(size=DESKTOP, **options):
        context = browser.new_context(viewport=size, base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.js_errors = errors
        return page

    yield make
    for context in contexts:
        context.close()


def login(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def axe_violations(page, axe_source: str) -> list[dict]:
    """Serious and critical axe-core violations on the current page."""
    # Runtime evaluation is not subject to the page's CSP, so axe needs no inline script.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def second_factor(page, user) -> None:
    """Pass /accounts/2fa/ as a therapist or staff member would: a real TOTP code from
    their authenticator, or (when this 30-second step's code was already used) a backup code.
    """
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        # Enrolled earlier (through a set-up link); the page asks for a code once it sees one.
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        page.reload()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t < totp.t():
        code = f"{totp.token():0{device.digits}d}"
    else:
        backup, _ = StaticDevice.objects.get_or_create(user=user, name="backup")
        code = f"{backup.token_set.count() + 10_000_000:08d}"
        backup.token_set.create(token=code)
    page.get_by_role("textbox", name="Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")


def login_verified(page, user, password: str) -> None:
    """Email and password, then the second factor for roles that need one."""
    login(page, user.email, password)
    if "/accounts/2fa/" in page.url:
        second_factor(page, user)


# Data migrations after the first seeds (tests/conftest.py restores those): the feelings'
# other words, the homework wording, the crisis resources' language and the "content"
# group. A transactional test's flush empties them too; their forward functions only
# fill what is missing, so running them again is harmless.
LATER_SEEDS = [
    ("journal", "0005_emotion_synonyms"),
    ("journal", "0006_homework_names_the_wheel_as_the_page_does"),
    ("companion", "0005_crisis_resources_in_the_site_language"),
    ("companion", "0006_content_group"),
]


@pytest.fixture(autouse=True)
def _later_seeds(request, _seed_data_for_transactional_tests):
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    for app_label, name in LATER_SEEDS:
        migration = loader.get_migration(app_label, name)
        with connection.schema_editor() as editor:
            for operation in migration.operations:
                if hasattr(operation, "code"):
                    operation.code(apps, editor)
