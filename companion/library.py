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


# A tag earns a filter chip when it groups at least two articles (a chip that finds one
# article is a longer way to its title), and only the most shared few are offered.
TAG_MIN_ARTICLES = 2
TAG_CHIPS = 5


def filter_tags(tag_lists: list[list[str]], *, current: str = "") -> list[str]:
    """The tags worth a chip: shared by TAG_MIN_ARTICLES or more, most shared first (then
    by name), at most TAG_CHIPS; the tag being filtered by is always kept."""
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for tags in tag_lists:
        for tag in {t.lower(): t for t in tags}.values():
            counts[tag.lower()] = counts.get(tag.lower(), 0) + 1
            names.setdefault(tag.lower(), tag)
    shared = sorted(
        (key for key, n in counts.items() if n >= TAG_MIN_ARTICLES),
        key=lambda key: (-counts[key], key),
    )[:TAG_CHIPS]
    if current and current.lower() in names and current.lower() not in shared:
        shared.append(current.lower())
    return [names[key] for key in shared]


@login_required
def library_page(request: HttpRequest) -> HttpResponse:
    tag = request.GET.get("tag", "").strip()[:40]
    kind = request.GET.get("kind", "")
    articles = list(article_list(viewer=request.user, tag=tag, kind=kind))
    if tag:  # icontains is a prefilter; keep only exact tag matches
        articles = [a for a in articles if tag.lower() in (t.lower() for t in a.tag_list)]
    all_tags = filter_tags(
        [a.tag_list for a in article_list(viewer=request.user).only("tags")], current=tag
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
