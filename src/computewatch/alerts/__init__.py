"""Alerts: the one alert shape (CONTRACTS.md), detector metadata, recording and de-duplication."""
