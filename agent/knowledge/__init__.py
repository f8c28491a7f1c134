"""Framework knowledge packs: schema, loader and registry."""
