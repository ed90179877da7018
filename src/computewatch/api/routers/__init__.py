"""One router per resource; each only parses, calls the core, and formats."""
