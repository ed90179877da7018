"""Screening party names against restricted-party lists."""
