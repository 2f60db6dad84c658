from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from journal.markdown import render_markdown

from .models import Article, ArticleStatus, CrisisResource


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "locale", "phone", "sms", "url", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["locale", "is_active"]
    search_fields = ["name", "description", "phone"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """The library. Drafts are visible only to staff: "View on site" previews them."""

    list_display = ["title", "kind", "audience", "status", "tags", "position", "published_at"]
    list_editable = ["position"]
    list_filter = ["status", "audience", "kind", "language"]
    search_fields = ["title", "summary", "tags", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    readonly_fields = ["preview", "published_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "body", "tags"]}),
        (_("Publishing"), {"fields": ["audience", "status", "language", "position"]}),
        (_("Preview"), {"fields": ["preview"]}),
        (_("Dates"), {"fields": ["published_at", "created_at", "updated_at"]}),
    ]
    actions = ["publish", "unpublish"]

    @admin.display(description=_("Preview (as readers see it; save to refresh)"))
    def preview(self, obj: Article):
        if not obj.pk:
            return "—"
        return format_html(
            '<div class="article-preview">{}</div><p><a href="{}">{}</a></p>',
            render_markdown(obj.body),
            obj.get_absolute_url(),
            _("Open the page as it will look on the site"),
        )

    @admin.action(description=_("Publish selected articles"))
    def publish(self, request, queryset):
        count = queryset.filter(published_at__isnull=True).update(
            status=ArticleStatus.PUBLISHED, published_at=timezone.now()
        ) + queryset.exclude(status=ArticleStatus.PUBLISHED).update(status=ArticleStatus.PUBLISHED)
        self.message_user(request, _("%(count)d article(s) published.") % {"count": count})

    @admin.action(description=_("Return selected articles to draft"))
    def unpublish(self, request, queryset):
        count = queryset.update(status=ArticleStatus.DRAFT)
        self.message_user(
            request, _("%(count)d article(s) now drafts.") % {"count": count}, messages.INFO
        )
