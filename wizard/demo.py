"""Demo data for a newcomer's first run: staff accounts and published cluster organisations."""
