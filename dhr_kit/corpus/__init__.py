"""`dhr corpus`: a national record of reviews in one embedded DuckDB file."""
