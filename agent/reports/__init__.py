"""Renderers of an assessment: they know nothing of how it was made."""
