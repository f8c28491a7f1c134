"""Evaluation: datasets, metrics and gates, shared by the CLI and the tests."""
