"""Country profiles: one view of everything the platform knows about a country.

This app composes the other apps' selectors (countries, indicators, instruments, and
pathfinders when they exist); it owns no models.
"""
