"""Reads on the therapist side, one module per entity; each starts from User.objects.clients_of(viewer)."""
