"""Writes on the therapist side, one module per entity."""
