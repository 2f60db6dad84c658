from django.db import models
from django.utils.translation import gettext_lazy as _


class Valence(models.TextChoices):
    PLEASANT = "pleasant", _("Pleasant")
    UNPLEASANT = "unpleasant", _("Unpleasant")
    NEUTRAL = "neutral", _("Neutral")


class Emotion(models.Model):
    """One word of the feelings wheel: level 1 core → 2 secondary → 3 specific."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField()
    valence = models.CharField(max_length=12, choices=Valence.choices)
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Order among its siblings."))
    synonyms = models.CharField(
        _("other words"),
        max_length=300,
        blank=True,
        help_text=_(
            "Other words people use for this feeling, separated by commas (for “Numb”: "
            "flat, blank, shut down). The check-in's search finds the feeling by them."
        ),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=3), name="emotion_level_1_to_3"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(level=1, parent__isnull=True)
                    | models.Q(level__gt=1, parent__isnull=False)
                ),
                name="emotion_core_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def synonym_list(self) -> list[str]:
        return [word.strip() for word in self.synonyms.split(",") if word.strip()]


class Trigger(models.Model):
    """A context tag a check-in can carry (trauma reminder, chronic stress, medication change…)."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
