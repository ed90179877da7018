"""The screening hot path compiled to C with mypyc, used only while it matches its sources.

Screening a name is many small steps of Python: token alignment, name analysis, the
candidate search. mypyc compiles those modules, as they are written, to C extensions
(`computewatch native build`, run by `make`): about 1.6 times the queries per
second, the same results (the same source; `tests/test_native.py` compares them).

The extensions live in `_native/` beside the package, with a manifest of the sources
they were built from. They are imported in place of the Python modules only when every
one of those sources is unchanged since the build; else (a source edited, a pull without
`make`) the pure-Python modules run, and a warning says to rebuild. All or nothing:
compiled modules call each other directly in C, so one stale module would still run
inside the others. `COMPUTEWATCH_PURE_PYTHON=1` runs pure Python regardless.

Compiled (native) classes cannot be pickled: the screener and its index, which Spark
broadcasts to its executors, are marked `@mypyc_attr(native_class=False)` (ordinary
classes with compiled methods; a no-op when the modules run as Python).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)

# The modules a query passes through, leaves first. glossary.py stays Python: it is loaded
# once, and its cached properties need an instance dictionary (native classes have none).
NATIVE_MODULES = (
    "computewatch.names.spelling",
    "computewatch.names.scripts",
    "computewatch.names.latin",
    "computewatch.names.people",
    "computewatch.names.pinyin",
    "computewatch.names.han",
    "computewatch.names.world",
    "computewatch.names.variants",
    "computewatch.names.analyze",
    "computewatch.screening.tokens",
    "computewatch.screening.scoring",
    "computewatch.screening.calibration",
    "computewatch.screening.explain",
    "computewatch.screening.index",
    "computewatch.screening.screener",
)
GROUP = "computewatch_native"  # the shared library's name: GROUP + '__mypyc'
PACKAGE_DIR = Path(__file__).resolve().parent
NATIVE_DIR = PACKAGE_DIR / "_native"
MANIFEST = "manifest.json"
PURE_ENV = "COMPUTEWATCH_PURE_PYTHON"


def source_file(module: str) -> Path:
    return PACKAGE_DIR.joinpath(*module.split(".")[1:]).with_suffix(".py")


def sources_digest(modules: Sequence[str] = NATIVE_MODULES) -> str:
    """One hash of the compiled modules' names and sources."""
    h = hashlib.sha256()
    for module in modules:
        h.update(module.encode() + b"\0" + source_file(module).read_bytes() + b"\0")
    return h.hexdigest()


def extensions(folder: Path = NATIVE_DIR) -> tuple[dict[str, Path], str]:
    """(module name -> extension file, '') when the build in `folder` may be used, else
    ({}, why not)."""
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return {}, f"{PURE_ENV} is set"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, "not built (computewatch native build)"
    except (OSError, ValueError) as err:
        return {}, f"unreadable manifest: {err}"
    if manifest.get("python") != sys.implementation.cache_tag:
        return {}, f"built for {manifest.get('python')}, not {sys.implementation.cache_tag}"
    if manifest.get("modules") != list(NATIVE_MODULES) or manifest.get("sources") != sources_digest():
        return {}, "the sources changed since the build: run `make native` (or `computewatch native build`)"
    files = {name: folder / file for name, file in manifest["files"].items()}
    missing = [str(f) for f in files.values() if not f.is_file()]
    return ({}, f"missing {missing[0]}") if missing else (files, "")


class _NativeFinder(importlib.abc.MetaPathFinder):
    def __init__(self, files: dict[str, Path]):
        self.files = files

    def find_spec(self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:  # fmt: skip
        file = self.files.get(fullname)
        return None if file is None else importlib.util.spec_from_file_location(fullname, file)


_state: dict[str, str] = {}


def install() -> None:
    """Put the compiled modules ahead of the Python ones, when they match their sources
    (called once, when the package is imported)."""
    if _state:
        return
    files, why_not = extensions()
    already = [m for m in NATIVE_MODULES if m in sys.modules]
    if files and already:
        files, why_not = {}, f"{already[0]} was imported before the compiled modules were installed"
    _state["why_not"] = why_not
    if files:
        sys.meta_path.insert(0, _NativeFinder(files))
    elif NATIVE_DIR.exists() and not os.environ.get(PURE_ENV):
        log.warning("computewatch: running the screening modules as pure Python (slower): %s", why_not)


def status() -> str:
    """'compiled' or 'pure Python (why)', of the modules as imported now."""
    compiled = [m for m in NATIVE_MODULES if (mod := sys.modules.get(m)) and not str(getattr(mod, "__file__", "")).endswith(".py")]
    if compiled:
        return "compiled" if len(compiled) == len([m for m in NATIVE_MODULES if m in sys.modules]) else "partly compiled"
    return f"pure Python ({_state.get('why_not') or 'not installed'})"


def build(folder: Path = NATIVE_DIR) -> None:
    """Compile NATIVE_MODULES with mypyc into `folder` (replacing what is there), with the
    manifest of the sources they came from."""
    from mypyc.build import mypycify  # a development dependency (mypy)
    from setuptools import Distribution

    root = PACKAGE_DIR.parent  # src/: module names follow the package from here
    config = root.parent / "pyproject.toml"  # mypy's settings (the pydantic plugin)
    digest = sources_digest()
    with tempfile.TemporaryDirectory() as tmp:
        here = os.getcwd()
        os.chdir(root)
        try:
            paths = [str(source_file(m).relative_to(root)) for m in NATIVE_MODULES]
            options = ["--config-file", str(config)] if config.is_file() else []
            modules = mypycify(options + paths, group_name=GROUP, target_dir=str(Path(tmp) / "c"), opt_level="3")
            dist = Distribution({"name": GROUP, "ext_modules": modules})
            cmd = dist.get_command_obj("build_ext")
            cmd.build_lib = str(Path(tmp) / "lib")  # type: ignore[attr-defined]
            cmd.build_temp = str(Path(tmp) / "temp")  # type: ignore[attr-defined]
            dist.run_command("build_ext")
        finally:
            os.chdir(here)
        staging = Path(tempfile.mkdtemp(prefix="_native.", dir=folder.parent))
        files: dict[str, str] = {}
        for built in (Path(tmp) / "lib").rglob("*.so"):
            name = ".".join(built.relative_to(Path(tmp) / "lib").parts).split(".cpython")[0]
            target = staging / built.name if name.endswith("__mypyc") else staging / f"{name}{built.name[built.name.index('.cpython'):]}"
            shutil.copy2(built, target)
            files[name] = target.name
    manifest = {"python": sys.implementation.cache_tag, "modules": list(NATIVE_MODULES), "sources": digest, "files": files}
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    if folder.exists():
        shutil.rmtree(folder)
    staging.rename(folder)
