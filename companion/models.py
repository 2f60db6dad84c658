"""Site-wide content staff manage in the admin: crisis resources per locale, library articles."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def validate_locale(value: str) -> None:
    if value and not COUNTRY_CODE.match(value):
        raise ValidationError(
            _(
                "Use a two-letter country code in capitals (for example US, GB, DE), or leave it empty."
            )
        )


class CrisisResource(models.Model):
    """A helpline or emergency hint shown on /safety/ and with a safety-flagged answer.

    ``locale`` is the country the resource serves (ISO 3166 two-letter code, matched
    against the country of the client's time zone). Empty means "helps anywhere": those
    are always shown, so a client in a country with no entry still gets the default set.
    """

    locale = models.CharField(
        max_length=2,
        blank=True,
        db_index=True,
        validators=[validate_locale],
        help_text=_(
            "Country code such as US, GB, DE. Leave empty for resources that help anywhere."
        ),
    )
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True, help_text=_("As people should dial it."))
    sms = models.CharField(
        max_length=40, blank=True, help_text=_("A number to text, if there is one.")
    )
    url = models.URLField(blank=True)
    available_hours = models.CharField(
        max_length=80, blank=True, help_text=_("For example “24 hours, every day”.")
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["locale", "position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(locale="") | models.Q(locale__regex=r"^[A-Z]{2}$"),
                name="crisisresource_locale_country_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.locale or _('anywhere')})"

    @property
    def phone_href(self) -> str:
        digits = re.sub(r"[^\d+]", "", self.phone)
        return f"tel:{digits}" if digits else ""

    @property
    def sms_href(self) -> str:
        digits = re.sub(r"[^\d+]", "", self.sms)
        return f"sms:{digits}" if digits else ""


class Audience(models.TextChoices):
    CLIENT = "client", _("Clients")
    THERAPIST = "therapist", _("Therapists")
    EVERYONE = "everyone", _("Clients and therapists")


class ArticleKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    EXERCISE = "exercise", _("Exercise")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ArticleQuerySet":
        """Published articles for the viewer's audience; staff also see drafts (preview)."""
        if getattr(user, "is_staff", False):
            return self
        audiences = [Audience.EVERYONE]
        role = getattr(user, "role", "")
        if role == "client":
            audiences.append(Audience.CLIENT)
        elif role == "therapist":
            audiences.append(Audience.THERAPIST)
        else:
            return self.none()
        return self.filter(status=ArticleStatus.PUBLISHED, audience__in=audiences)


class Article(models.Model):
    """Psychoeducation in the library (/library/): written and published by staff in the
    admin, in Markdown rendered through journal.markdown (sanitised)."""

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ArticleKind.choices, default=ArticleKind.ARTICLE
    )
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two sentences for the list.")
    )
    body = models.TextField(_("body"), help_text=_("Markdown: headings (##), lists, links."))
    tags = models.CharField(
        _("tags"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated, for example: numbness, mindfulness."),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.CLIENT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        indexes = [
            models.Index(fields=["status", "audience", "position"], name="article_listing_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="article_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The publication date is bookkeeping about this one row, set when it first goes out.
        if self.status == ArticleStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("library-article", kwargs={"slug": self.slug})

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]
