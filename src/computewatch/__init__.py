"""computewatch: who really uses advanced AI compute."""

from computewatch import native as _native

__version__ = "0.1.0"

_native.install()  # the compiled screening modules, when built and current (computewatch/native.py)
