"""Access functions, one module per entity: who may reach which row (else 404)."""
