"""Transport and headers: the deploy check, the CSP, no-store, no third-party requests."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

from companion.middleware import CONTENT_SECURITY_POLICY
from tests.conftest import verified_login

ROOT = Path(settings.BASE_DIR)
PROJECT_APPS = ["accounts", "journal", "therapists", "companion"]


def project_files(*suffixes: str) -> list[Path]:
    found = []
    for app in PROJECT_APPS:
        for folder in ("templates", "static"):
            base = ROOT / app / folder
            if base.is_dir():
                found.extend(p for p in base.rglob("*") if p.suffix in suffixes and p.is_file())
    return sorted(found)


TEMPLATES = project_files(".html")
# Emails are not pages: no CSP applies to a mail client, so only pages are checked for
# inline styles; scripts and handlers are refused everywhere.
PAGE_TEMPLATES = [p for p in TEMPLATES if "emails" not in p.parts]


def test_deploy_check_has_zero_warnings(tmp_path):
    # A production process: none of the test run's own switches (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for Playwright in this process).
    test_only = {
        "COMPANION_TESTING",
        "DEBUG",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "CELERY_TASK_ALWAYS_EAGER",
    }
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="companion.example.org",
        CSRF_TRUSTED_ORIGINS="https://companion.example.org",
        COMPANION_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output


def _strip_template_tags(text: str) -> str:
    return re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", text, flags=re.S)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[a-zA-Z][^<>]*\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[a-zA-Z][^<>]*\sstyle\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style[\s>]", re.I)
HTMX_HANDLER = re.compile(r"\shx-on[:-]", re.I)


def test_templates_were_found():
    assert len(PAGE_TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_script_or_handler_in_any_template(path):
    text = _strip_template_tags(path.read_text(encoding="utf-8"))
    assert not INLINE_SCRIPT.search(text), "inline <script> block"
    assert not INLINE_HANDLER.search(text), "inline on*= event handler"
    assert not HTMX_HANDLER.search(text), "hx-on handler (evaluated as inline script)"


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_style_in_any_page_template(path):
    text = _strip_template_tags(path.read_text(encoding="utf-8"))
    assert not STYLE_ATTR.search(text), "style= attribute"
    assert not STYLE_BLOCK.search(text), "<style> block"


URL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*""", re.I)
# Identifiers that look like URLs but are never fetched.
NOT_REQUESTS = {"www.w3.org"}


@pytest.mark.parametrize(
    "path", project_files(".html", ".css", ".js", ".svg"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_third_party_urls_in_pages_or_static(path):
    if "emails" in path.parts:
        return  # emails link back to the site (SITE_URL), never load anything
    text = path.read_text(encoding="utf-8", errors="replace")
    hosts = {urlparse(u if u[:2] != "//" else "https:" + u).hostname for u in URL.findall(text)}
    assert not (hosts - NOT_REQUESTS - {None}), hosts


def test_csp_forbids_inline_code_and_other_origins():
    policy = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY


@pytest.mark.django_db
class TestRenderedPages:
    """What the templates grep cannot see: HTML built in Python (charts, QR codes)."""

    def pages(self, client, who, paths):
        verified_login(client, who)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            yield path, response

    def test_client_pages(self, client, client_a, therapist_a):
        from .world import build_world

        build_world(
            client_a=client_a,
            client_b=client_a,
            therapist_a=therapist_a,
            therapist_b=therapist_a,
            therapist_ended=therapist_a,
            staff=therapist_a,
        )
        paths = ["/", "/checkin/", "/history/", "/insights/", "/homework/", "/medications/"]
        for path, response in self.pages(client, client_a, paths):
            html = response.content.decode()
            assert not INLINE_SCRIPT.search(html), path
            assert not INLINE_HANDLER.search(html), path
            assert not STYLE_ATTR.search(html), path
            assert response["Cache-Control"] == "no-store", path
            assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
            assert response["X-Frame-Options"] == "DENY"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Referrer-Policy"] == "same-origin"

    def test_therapist_pages(self, client, client_a, therapist_a):
        paths = [
            "/dashboard/",
            f"/dashboard/clients/{client_a.pk}/",
            f"/dashboard/clients/{client_a.pk}/brief/",
            f"/dashboard/clients/{client_a.pk}/homework/",
        ]
        for path, response in self.pages(client, therapist_a, paths):
            html = response.content.decode()
            assert not INLINE_SCRIPT.search(html), path
            assert not INLINE_HANDLER.search(html), path
            assert not STYLE_ATTR.search(html), path
            assert response["Cache-Control"] == "no-store", path

    def test_two_factor_enrolment_page(self, client, therapist_a):
        from tests.security.test_auth import open_enrolment_link

        client.force_login(therapist_a)
        open_enrolment_link(client, therapist_a)
        html = client.get("/accounts/2fa/").content.decode()
        assert "<svg" in html
        assert not INLINE_SCRIPT.search(html)
        assert not STYLE_ATTR.search(html)


@pytest.mark.django_db
def test_api_responses_with_client_data_are_not_stored(client_a, therapist_a, api_for):
    as_client = api_for(client_a)
    as_therapist = api_for(therapist_a)
    for api, path in [
        (as_client, "/api/v1/checkins/"),
        (as_client, "/api/v1/me/"),
        (as_client, "/api/v1/medication-events/"),
        (as_client, "/api/v1/insights/"),
        (as_therapist, "/api/v1/clients/"),
        (as_therapist, f"/api/v1/clients/{client_a.pk}/"),
        (as_therapist, f"/api/v1/clients/{client_a.pk}/checkins/"),
        (as_therapist, f"/api/v1/clients/{client_a.pk}/trends/"),
    ]:
        response = api.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store", path
