"""Pure types and rules. Imports nothing from web, database, dataframe or file libraries
(a test enforces it), so every other layer can depend on it and it depends on none."""
