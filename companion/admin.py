from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

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

    @admin.display(description=_("Preview"))
    def preview(self, obj: Article):
        # The reader's page itself (staff see drafts there), not the body in admin styling.
        if not obj.pk:
            return _("Save the article (as a draft if you like) to preview it.")
        return format_html(
            '<p><a class="button" href="{}" target="_blank" rel="noopener">{}</a></p><p>{}</p>',
            obj.get_absolute_url(),
            _("Open the preview as readers see it"),
            _(
                "Opens the article's own page in a new tab, in the site's styling. Drafts show "
                "there to staff only; save first to see your latest changes."
            ),
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


# --- Who sees what in the admin ------------------------------------------------------------

# Content staff (the "content" group, made by migration 0006) work on these; everything
# else in the admin (users, the audit log, schedules, sign-in bookkeeping, the outbox) is
# for superusers. The group holds view/add/change permissions on exactly these models.
CONTENT_MODELS = (
    "journal.emotion",
    "journal.trigger",
    "journal.homeworktemplate",
    "companion.article",
    "companion.crisisresource",
    "accounts.messagetemplate",
)

# Clinical records: nobody deletes them from the admin, superusers included (a client
# removes their own data in the portal; account deletion removes it all). Enforced here,
# where the admin is assembled after every app registered its pages, so one list holds
# the rule for every app; tests/journal/test_admin_content.py walks the registry.
CLINICAL_MODELS = (
    "journal.checkin",
    "journal.emotionrating",
    "journal.clientday",
    "journal.homeworkassignment",
    "journal.homeworklog",
    "journal.homeworkpause",
    "journal.medicationevent",
    "journal.assessment",
    "journal.safetysignal",
    "therapists.flag",
    "therapists.flagnote",
    "therapists.medicationnote",
    "therapists.therapysession",
    "accounts.auditevent",
)


def _never_delete(request, obj=None) -> bool:
    return False


for _model, _model_admin in list(admin.site._registry.items()):
    if _model._meta.label_lower in CLINICAL_MODELS:
        # The instance attribute wins over the class method; without delete permission the
        # admin also drops the bulk "Delete selected" action.
        _model_admin.has_delete_permission = _never_delete
