"""Therapist portal forms, one module per entity."""
