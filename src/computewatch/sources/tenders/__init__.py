"""Procurement notices: reading, field extraction, recognition, decision."""
