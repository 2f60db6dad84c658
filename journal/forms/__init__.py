"""Portal forms, one module per entity."""
