"""WTForms classes, one module per area or profile type."""
