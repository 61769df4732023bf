"""Partner pages, one module per area."""
