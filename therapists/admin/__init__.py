"""Therapist-side admin, one module per entity; imported here so the admin site finds them."""

from . import flags, notes, sessions  # noqa: F401
