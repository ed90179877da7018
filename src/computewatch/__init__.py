"""computewatch: who really uses advanced AI compute."""

__version__ = "0.1.0"
