"""Where state lives: SQLite files under MATURITY_HOME (the default), or one PostgreSQL
database named by MATURITY_DATABASE_URL, shared by any number of workers and hosts."""
