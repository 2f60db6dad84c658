"""Journal admin, one module per entity; imported here so the admin site finds them."""

from . import assessments, checkins, homework, medications, safety, vocabulary  # noqa: F401
