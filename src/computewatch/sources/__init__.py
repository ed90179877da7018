"""One adapter per input format. Each parses, validates and normalises; errors name file, line, field."""
