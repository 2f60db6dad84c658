"""The installable portal's files: manifest, service worker, offline page (#20).
The browser side (installability, offline check-in) is in tests/browser/test_offline.py."""

import json
import struct
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from companion import pwa

pytestmark = pytest.mark.django_db


def test_manifest_meets_the_installability_fields(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["name"] == "Companion" and data["short_name"] == "Companion"
    assert data["theme_color"].startswith("#") and data["background_color"].startswith("#")
    sizes = {}
    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        header = Path(path).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", header[16:24])
        assert f"{width}x{height}" == icon["sizes"]
        sizes.setdefault(icon["purpose"], set()).add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes["any"]
    assert "512x512" in sizes["maskable"]


def test_service_worker_is_served_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert '"/offline/"' in body and "importScripts(" in body
    assert '"VERSION"' not in body  # the cache name is stamped


def test_the_cache_name_changes_with_what_it_keeps(client, monkeypatch):
    first = client.get("/sw.js").content
    monkeypatch.setattr(pwa, "SHELLS", {**pwa.SHELLS, "/another/": "/another/shell/"})
    second = client.get("/sw.js").content
    version = lambda body: body.split(b"var VERSION = ")[1].split(b";")[0]  # noqa: E731
    assert version(first) != version(second)


def test_offline_page_has_help_and_nothing_about_the_person(client, client_a):
    client.force_login(client_a)
    response = client.get("/offline/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "tel:" in page  # crisis lines, which work without the internet
    assert client_a.display_name not in page and client_a.email not in page
    assert "csrfmiddlewaretoken" not in page


def test_the_worker_keeps_only_shells_and_static_files(client):
    body = client.get("/sw.js").content.decode()
    precache = json.loads(body.split("var PRECACHE = ")[1].split(";\n")[0])
    pages = [url for url in precache if not url.startswith("/static/")]
    assert pages == ["/offline/", "/checkin/shell/"]
