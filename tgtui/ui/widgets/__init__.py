"""Widgets of the tgtui screens."""
