"""Library audiences and drafts (Django test client: no browser needed, kept with the
portal tests of this folder). An article the viewer may not read answers 404."""

import re

import pytest

from companion.models import Article

pytestmark = pytest.mark.django_db

CLIENT_ARTICLE = "/library/what-is-emotional-numbness/"
THERAPIST_ARTICLE = "/library/blunting-flags-for-therapists/"


def test_clients_read_client_articles_only(portal, client_a):
    portal.login_as(client_a)
    listing = portal.get("/library/").content.decode()
    assert "Feeling numb: what emotional numbness is" in listing
    assert "Reading blunting flags" not in listing
    assert portal.get(CLIENT_ARTICLE).status_code == 200
    assert portal.get(THERAPIST_ARTICLE).status_code == 404


def test_therapists_read_therapist_articles_only(portal, therapist_a):
    portal.login_as(therapist_a)
    assert portal.get(THERAPIST_ARTICLE).status_code == 200
    assert portal.get(CLIENT_ARTICLE).status_code == 404


def test_drafts_are_hidden_except_as_a_staff_preview(portal, client_a, staff):
    Article.objects.create(title="Work in progress", slug="wip", body="**Soon**", audience="client")
    portal.login_as(client_a)
    assert portal.get("/library/wip/").status_code == 404
    assert "Work in progress" not in portal.get("/library/").content.decode()
    portal.login_as(staff)
    preview = portal.get("/library/wip/").content.decode()
    assert "<strong>Soon</strong>" in preview and "Draft preview" in preview


def test_markdown_is_sanitised(portal, client_a):
    Article.objects.create(
        title="Unsafe",
        slug="unsafe",
        body='<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror="alert(1)">',
        audience="client",
        status="published",
    )
    portal.login_as(client_a)
    html = portal.get("/library/unsafe/").content.decode()
    assert "<script>alert" not in html and "javascript:" not in html and "onerror" not in html


def test_filters_by_tag(portal, client_a):
    portal.login_as(client_a)
    html = portal.get("/library/?tag=mindfulness").content.decode()
    assert "What helps when you feel numb" in html
    assert "Why numbness happens" not in html


def test_only_tags_that_group_articles_get_a_chip(portal, client_a):
    portal.login_as(client_a)
    html = portal.get("/library/").content.decode()
    chips = re.findall(r'href="\?tag=([^"]+)"', html)
    assert chips == ["numbness", "exercise", "medication", "mindfulness"]
    # A tag on one article only still filters when asked for, and shows as chosen.
    html = portal.get("/library/?tag=grounding").content.decode()
    assert 'href="?tag=grounding" aria-current="page"' in html


def test_admin_lists_and_previews_articles(portal, staff):
    portal.login_as(staff)
    article = Article.objects.get(slug="five-senses-grounding")
    assert portal.get("/admin/companion/article/?q=senses").status_code == 200
    change = portal.get(f"/admin/companion/article/{article.pk}/change/").content.decode()
    # The preview is the reader's own page (drafts show there to staff), not admin styling.
    assert "Open the preview as readers see it" in change
    assert f'href="{article.get_absolute_url()}"' in change
    page = portal.get(article.get_absolute_url()).content.decode()
    assert "<ol>" in page and 'class="prose"' in page
