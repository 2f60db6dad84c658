"""The blunting engine's saved state per client, so a day's update costs the same after
two weeks or three years (see ``therapists.trends.store``).

Derived data only, rebuilt from the journal's day rows whenever in doubt: the engine's
carried state (``EngineState.to_dict()``: recent day summaries, the baseline's pool, the
detector), the chart's last year of daily results, and the answer for the latest day.
No free text: emotion slugs, numbers, dates, levels, the engine's driver sentences and
the medication names and doses of related events (structured data, as on the
medication rows themselves).
"""

from django.conf import settings
from django.db import models


class TrendState(models.Model):
    """One client's engine state, settled through the last complete local day."""

    client = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="trend_state",
    )
    # Digest of the engine's code (trends.store.engine_digest): another code's state is rebuilt.
    engine = models.CharField(max_length=32, blank=True)
    # Every observed day up to and including this one has been stepped into ``state``.
    settled_through = models.DateField(null=True, blank=True)
    state = models.JSONField(default=dict, blank=True)
    # updated_at of each day row in the replay span ending at settled_through: a day row
    # written later than its stamp (a backdated or edited check-in) replays from a checkpoint.
    stamps = models.JSONField(default=dict, blank=True)
    # The chart: one result per calendar day, the last year up to settled_through.
    days = models.JSONField(default=list, blank=True)
    # The answer for the latest day asked, and a digest of the inputs it was computed from.
    current = models.JSONField(default=dict, blank=True)
    current_key = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Trend state through {self.settled_through}"


class TrendCheckpoint(models.Model):
    """The engine state at the end of a week, kept for the replay span: a late change
    replays from the newest checkpoint before it instead of from the first check-in."""

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    through = models.DateField()
    state = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "through"], name="trend_checkpoint_once")
        ]

    def __str__(self) -> str:
        return f"Trend checkpoint {self.through}"
