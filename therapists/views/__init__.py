"""Therapist portal pages, one module per entity."""
