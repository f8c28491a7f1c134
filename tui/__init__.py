"""The terminal interview app (Textual). A surface: it calls the core, never the reverse."""
