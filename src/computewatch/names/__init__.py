"""Everything about names: scripts, company-type forms, glossary, tokens for matching."""

from computewatch.names.analyze import NameForm, analyze_name

__all__ = ["NameForm", "analyze_name"]
