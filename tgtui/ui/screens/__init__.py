"""The screens of the tgtui app."""
