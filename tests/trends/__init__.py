"""Tests for the pure-Python blunting engine (no database)."""
