"""Access functions, one module per entity: every lookup by id goes through the viewer's caseload (clients themselves: accounts.access.access_client)."""
