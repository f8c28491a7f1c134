"""Retrieval over framework chunks: embedders, the Chroma index, hybrid search."""
