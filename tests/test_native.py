"""The compiled screening modules (computewatch/native.py): used only while they match their
sources, and screening exactly as the pure-Python modules do."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from computewatch import native
from computewatch.screening.model import Query

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def _manifest(folder: Path, **changes: object) -> Path:
    """A build folder whose manifest matches today's sources (each 'extension' an empty file)."""
    folder.mkdir(exist_ok=True)
    files = {m: f"{m}.so" for m in native.NATIVE_MODULES}
    for file in files.values():
        (folder / file).write_bytes(b"")
    manifest = {"python": sys.implementation.cache_tag, "modules": list(native.NATIVE_MODULES),
                "sources": native.sources_digest(), "files": files, **changes}  # fmt: skip
    (folder / native.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_a_build_that_matches_its_sources_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    files, why_not = native.extensions(_manifest(tmp_path / "build"))
    assert why_not == ""
    assert set(files) == set(native.NATIVE_MODULES)


def test_a_stale_or_foreign_build_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    assert native.extensions(tmp_path / "nothing")[1].startswith("not built")
    stale = native.extensions(_manifest(tmp_path / "stale", sources="0" * 64))
    assert stale == ({}, stale[1]) and "sources changed" in stale[1]
    other_python = native.extensions(_manifest(tmp_path / "py", python="cpython-399"))
    assert other_python[0] == {} and "cpython-399" in other_python[1]
    fewer = native.extensions(_manifest(tmp_path / "fewer", modules=list(native.NATIVE_MODULES[:-1])))
    assert fewer[0] == {}
    half = _manifest(tmp_path / "half")
    (half / f"{native.NATIVE_MODULES[0]}.so").unlink()
    assert native.extensions(half)[0] == {} and "missing" in native.extensions(half)[1]


def test_one_changed_source_changes_the_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "computewatch"
    for module in native.NATIVE_MODULES:
        target = package.joinpath(*module.split(".")[1:]).with_suffix(".py")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(native.source_file(module).read_bytes())
    monkeypatch.setattr(native, "PACKAGE_DIR", package)
    before = native.sources_digest()
    scoring = package / "screening/scoring.py"
    scoring.write_text(scoring.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert native.sources_digest() != before


def test_the_environment_switch_forces_pure_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(native.PURE_ENV, "1")
    assert native.extensions(_manifest(tmp_path / "build")) == ({}, f"{native.PURE_ENV} is set")


def _compiled() -> bool:
    files, _ = native.extensions()
    return bool(files)


needs_build = pytest.mark.skipif(not _compiled(), reason="the compiled screening modules are not built (make native)")

SCREEN = """
import sys, orjson
sys.path.insert(0, {bench!r})
from screening_bench import LIST_FILE, distinct_queries
from computewatch import native
from computewatch.screening.batch import result_record
from computewatch.screening.model import Query
from computewatch.screening.screener import Screener
from computewatch.sources.lists import read_list
entities = [r.to_list_entity("us_trade_csl") for r in read_list(LIST_FILE)[1]]
screener = Screener(entities)
queries = [q for q, _ in distinct_queries(entities, 1500, seed=11)]
queries += [Query(n) for n in {extra!r}]
print(native.status())
for q in queries:
    print(orjson.dumps(result_record(q, screener)).decode())
"""
# Han, Cyrillic, Arabic, people and typos beside the generated Latin variants
EXTRA = ["中国工程物理研究院流体物理研究所", "ОАО «Авиационный комплекс им. С. В. Ильюшина»", "Алексей Полынков",
         "Dr. Alexei Polynkov", "Huawei Technologies Co., Limietd", "محمد رضا", "베이징 화웨이", "Inspur Group Co., Limtied"]  # fmt: skip


@needs_build
def test_compiled_and_pure_python_screen_alike() -> None:
    """Every result line, scores and explanations, byte for byte, on 1,500 distinct queries."""
    script = SCREEN.format(bench=str(BENCH), extra=EXTRA)
    runs = {}
    for label, pure in (("compiled", ""), ("pure", "1")):
        env = {**os.environ, native.PURE_ENV: pure}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        runs[label] = done.stdout.splitlines()
    assert runs["compiled"][0] == "compiled"
    assert runs["pure"][0].startswith("pure Python")
    assert len(runs["compiled"]) == 1 + 1500 + len(EXTRA)
    assert any('"match":true' in line for line in runs["compiled"][-len(EXTRA):])
    assert runs["compiled"][1:] == runs["pure"][1:]


@needs_build
def test_this_process_screens_compiled(real_screener) -> None:  # type: ignore[no-untyped-def]
    assert native.status() == "compiled"


@needs_build
def test_a_compiled_screener_pickles(real_screener) -> None:  # type: ignore[no-untyped-def]
    """Spark broadcasts the screener pickled: compiled classes must survive it."""
    query = Query("Huawei Technologies Co Ltd")
    copy = pickle.loads(pickle.dumps(real_screener))
    assert [(m.entity.id, m.score) for m in copy.screen(query)] == [(m.entity.id, m.score) for m in real_screener.screen(query)]
    assert copy.screen(query)[0].match
