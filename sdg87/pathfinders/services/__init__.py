"""Writes on pathfinder content; one module per sub-area."""
