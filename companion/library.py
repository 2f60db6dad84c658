"""The library: psychoeducation articles and exercises staff publish in the admin.

Clients see what is published for clients (or everyone), therapists what is published
for therapists (or everyone); staff also see drafts, so "View on site" in the admin is
a preview. Anything else answers 404, like every object a viewer may not see.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from journal.markdown import render_markdown

from .models import Article, ArticleKind


def article_list(*, viewer, tag: str = "", kind: str = ""):
    articles = Article.objects.visible_to(viewer).defer("body")
    if kind in ArticleKind.values:
        articles = articles.filter(kind=kind)
    if tag:
        articles = articles.filter(tags__icontains=tag)
    return articles.order_by("position", "title")


@login_required
def library_page(request: HttpRequest) -> HttpResponse:
    tag = request.GET.get("tag", "").strip()[:40]
    kind = request.GET.get("kind", "")
    articles = list(article_list(viewer=request.user, tag=tag, kind=kind))
    if tag:  # icontains is a prefilter; keep only exact tag matches
        articles = [a for a in articles if tag.lower() in (t.lower() for t in a.tag_list)]
    all_tags = sorted(
        {t for a in article_list(viewer=request.user).only("tags") for t in a.tag_list},
        key=str.lower,
    )
    return render(
        request,
        "companion/library.html",
        {
            "articles": articles,
            "tags": all_tags,
            "tag": tag,
            "kind": kind if kind in ArticleKind.values else "",
            "kinds": ArticleKind.choices,
        },
    )


@login_required
def article_page(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    return render(
        request,
        "companion/library_article.html",
        {"article": article, "body_html": render_markdown(article.body)},
    )


urlpatterns = [
    path("library/", library_page, name="library"),
    path("library/<slug:slug>/", article_page, name="library-article"),
]
