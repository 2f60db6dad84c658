"""axe-core on every page of both portals (and the admin index), at desktop and phone sizes.

Fails on any serious or critical violation. The phone pass runs in dark mode, so both
colour schemes meet the contrast rules. One test per role and size keeps the suite fast:
a page list is walked in one browser context and every violation is reported together.
"""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, axe_violations, login, login_verified
from tests.browser.world import build_client_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SIZES = {"desktop": (DESKTOP, "light"), "phone": (PHONE, "dark")}


def scan(page, axe_source, pages: list[tuple[str, str]]) -> dict[str, list]:
    found = {}
    for name, url in pages:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status < 400, f"{name} ({url}): {response.status}"
        # Open every disclosure so what is inside is scanned too.
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        violations = axe_violations(page, axe_source)
        if violations:
            found[f"{name} {url}"] = violations
        assert not page.js_errors, f"{name}: JavaScript errors {page.js_errors}"
    return found


@pytest.mark.parametrize("size", SIZES)
def test_anonymous_pages(new_page, axe_source, size):
    viewport, scheme = SIZES[size]
    page = new_page(viewport, color_scheme=scheme)
    found = scan(
        page, axe_source, [("login", "/accounts/login/"), ("register", "/accounts/register/")]
    )
    assert not found, found


@pytest.mark.parametrize("size", SIZES)
def test_client_portal(new_page, axe_source, size, client_a, therapist_a, password):
    world = build_client_world(client_a, therapist_a)
    viewport, scheme = SIZES[size]
    page = new_page(viewport, color_scheme=scheme)
    login(page, client_a.email, password)
    pages = [
        ("home", "/"),
        ("checkin", "/checkin/"),
        ("checkin saved", f"/checkin/saved/{world['checkin'].pk}/"),
        ("history", "/history/"),
        ("insights", "/insights/"),
        ("homework", "/homework/"),
        ("medications", "/medications/"),
        ("assessments", "/assessments/"),
        ("assessment take", "/assessments/phq9/"),
        ("assessment result", f"/assessments/results/{world['assessment'].pk}/"),
        ("safety", "/safety/"),
        ("library", "/library/"),
        ("article", "/library/what-is-emotional-numbness/"),
        ("care team", "/accounts/care-team/"),
        ("privacy", "/accounts/privacy/"),
        ("profile", "/accounts/profile/"),
    ]
    found = scan(page, axe_source, pages)
    assert not found, found


@pytest.mark.parametrize("size", SIZES)
def test_therapist_portal(new_page, axe_source, size, client_a, therapist_a, password):
    build_client_world(client_a, therapist_a)
    viewport, scheme = SIZES[size]
    page = new_page(viewport, color_scheme=scheme)
    login(page, therapist_a.email, password)
    assert "/accounts/2fa/" in page.url
    found = scan(page, axe_source, [("2fa enrolment", page.url)])
    from tests.browser.conftest import second_factor

    second_factor(page, therapist_a)
    base = f"/dashboard/clients/{client_a.pk}"
    pages = [
        ("dashboard", "/dashboard/"),
        ("client page", f"{base}/"),
        ("brief", f"{base}/brief/"),
        ("therapist homework", f"{base}/homework/"),
        ("invite", "/accounts/invite/"),
        ("library (therapist)", "/library/"),
        ("article (therapist)", "/library/blunting-flags-for-therapists/"),
        ("profile (therapist)", "/accounts/profile/"),
    ]
    found |= scan(page, axe_source, pages)
    assert not found, found


@pytest.mark.parametrize("size", SIZES)
def test_admin_index(new_page, axe_source, size, staff, password):
    viewport, scheme = SIZES[size]
    page = new_page(viewport, color_scheme=scheme)
    login_verified(page, staff, password)
    found = scan(page, axe_source, [("admin index", "/admin/")])
    assert not found, found


def test_the_scan_catches_a_planted_violation(new_page, axe_source):
    """Guards the guard: an unnamed button and an unlabelled field must be reported."""
    page = new_page(DESKTOP)
    page.goto("/accounts/login/")
    page.evaluate(
        "() => document.querySelector('main').append("
        "document.createElement('button'), document.createElement('input'))"
    )
    assert {v["id"] for v in axe_violations(page, axe_source)} >= {"button-name", "label"}
