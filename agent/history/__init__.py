"""Assessment history: every assessment stored under MATURITY_HOME, listed and compared."""
