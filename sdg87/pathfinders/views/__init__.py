"""Pathfinder pages, one module per area: the overview and country pages, roadmap editing,
annual reports and their review, funding gaps."""
