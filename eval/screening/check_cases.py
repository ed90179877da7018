#!/usr/bin/env python3
"""Sanity checks for the screening evaluation set (eval/screening/cases.csv).

Standard library only. Usage:

    python eval/screening/check_cases.py [--cases PATH] [--list PATH]

Checks:
  * header and form names are valid;
  * every positive row has an expected_id that exists in the list CSV and an
    expected_name equal to that row's `name`;
  * negative rows (near_miss_same_city, near_miss_generic, unrelated) have an
    empty expected_id and expected_name;
  * no query appears twice;
  * no negative query is, after case/punctuation normalisation, identical to a
    listed name or alias (it would then not be a negative);
  * an entity appears at most 3 times within a form;
  * minimum row counts per form (see MIN_COUNTS) and in total.
Prints the counts per form and exits non-zero on any error.
"""
import argparse
import collections
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CASES = os.path.join(HERE, "cases.csv")
DEFAULT_LIST = "/work/shared/data/bis-lists.csl.csv"

HEADER = ["query", "country", "form", "expected_id", "expected_name", "note"]
POSITIVE_FORMS = [
    "han_simplified", "han_traditional", "pinyin_spaced", "pinyin_joined",
    "english_variant", "word_order", "abbreviation", "typo", "case_punct",
    "company_form", "cyrillic_person", "cyrillic_org", "person_variant", "person_typo",
]
NEGATIVE_FORMS = ["near_miss_same_city", "near_miss_generic", "unrelated", "near_miss_person", "near_miss_cyrillic"]
FORMS = POSITIVE_FORMS + NEGATIVE_FORMS
MIN_COUNTS = {
    "han_simplified": 60, "han_traditional": 25, "pinyin_spaced": 30,
    "pinyin_joined": 20, "english_variant": 30, "word_order": 25,
    "abbreviation": 25, "typo": 30, "case_punct": 20, "company_form": 20,
    "near_miss_same_city": 60, "near_miss_generic": 50, "unrelated": 40,
    "cyrillic_person": 20, "cyrillic_org": 15, "person_variant": 20, "person_typo": 4,
    "near_miss_person": 20, "near_miss_cyrillic": 10,
}
MIN_TOTAL = 400
MIN_NEGATIVES = 160
MAX_PER_ENTITY_PER_FORM = 3


def norm(s):
    s = re.sub(r"[^\w]+", " ", s.lower())
    return re.sub(r"\s+", " ", s).strip()


def split_alt(alt):
    out = []
    for part in (alt or "").split("; "):
        part = re.sub(r"^and ", "", part.strip())
        if part:
            out.append(part)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=DEFAULT_CASES)
    ap.add_argument("--list", default=os.environ.get("BIS_LIST_CSV", DEFAULT_LIST))
    args = ap.parse_args()

    errors, warnings = [], []

    with open(args.list, encoding="utf-8", newline="") as f:
        list_rows = list(csv.DictReader(f))
    by_id = {r["_id"]: r for r in list_rows}
    name_count = collections.Counter(r["name"] for r in list_rows)
    listed_norm = {}
    for r in list_rows:
        for n in [r["name"]] + split_alt(r["alt_names"]):
            listed_norm.setdefault(norm(n), r["_id"])

    with open(args.cases, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != HEADER:
            errors.append(f"bad header {header!r}, expected {HEADER!r}")
        cases = []
        for lineno, rec in enumerate(reader, start=2):
            if len(rec) != len(HEADER):
                errors.append("line %d: %d fields, expected %d" % (lineno, len(rec), len(HEADER)))
                continue
            cases.append((lineno, dict(zip(HEADER, rec, strict=False))))

    counts = collections.Counter()
    seen_query = {}
    per_entity_form = collections.Counter()
    for lineno, c in cases:
        form, q, eid = c["form"], c["query"], c["expected_id"]
        counts[form] += 1
        if form not in FORMS:
            errors.append("line %d: invalid form %r" % (lineno, form))
            continue
        if not q.strip():
            errors.append("line %d: empty query" % lineno)
        if q != q.strip():
            warnings.append("line %d: query has leading/trailing whitespace" % lineno)
        if q in seen_query:
            errors.append("line %d: duplicate query %r (first at line %d)" % (lineno, q, seen_query[q]))
        seen_query.setdefault(q, lineno)
        if c["country"] and not re.fullmatch(r"[A-Z]{2}", c["country"]):
            errors.append("line %d: country %r is not ISO alpha-2" % (lineno, c["country"]))

        if form in POSITIVE_FORMS:
            if not eid:
                errors.append("line %d: positive form %s without expected_id" % (lineno, form))
                continue
            row = by_id.get(eid)
            if row is None:
                errors.append("line %d: expected_id %s not in list" % (lineno, eid))
                continue
            if c["expected_name"] != row["name"]:
                errors.append("line %d: expected_name %r != list name %r" % (lineno, c["expected_name"], row["name"]))
            if name_count[row["name"]] > 1:
                warnings.append("line %d: list name %r occurs %d times in the list" % (lineno, row["name"], name_count[row["name"]]))
            hit = listed_norm.get(norm(q))
            if hit and hit != eid:
                errors.append("line %d: query %r is exactly a name/alias of another entry %s" % (lineno, q, hit))
            per_entity_form[(eid, form)] += 1
        else:
            if eid or c["expected_name"]:
                errors.append("line %d: negative form %s must have empty expected_id/expected_name" % (lineno, form))
            hit = listed_norm.get(norm(q))
            if hit:
                errors.append("line %d: negative query %r equals a listed name/alias (entry %s)" % (lineno, q, hit))

    for (eid, form), n in sorted(per_entity_form.items()):
        if n > MAX_PER_ENTITY_PER_FORM:
            errors.append("entity %s (%s) appears %d times in form %s" % (eid, by_id[eid]["name"], n, form))

    total = sum(counts.values())
    negatives = sum(counts[f] for f in NEGATIVE_FORMS)
    for form, minimum in MIN_COUNTS.items():
        if counts[form] < minimum:
            errors.append("form %s has %d rows, minimum %d" % (form, counts[form], minimum))
    if total < MIN_TOTAL:
        errors.append("total %d rows, minimum %d" % (total, MIN_TOTAL))
    if negatives < MIN_NEGATIVES:
        errors.append("negatives %d rows, minimum %d" % (negatives, MIN_NEGATIVES))

    print("rows per form:")
    for form in FORMS:
        print("  %-22s %4d  (min %d)" % (form, counts[form], MIN_COUNTS[form]))
    distinct = len({c["expected_id"] for _, c in cases if c["expected_id"]})
    print("  %-22s %4d" % ("positives", total - negatives))
    print("  %-22s %4d" % ("negatives", negatives))
    print("  %-22s %4d" % ("total", total))
    print("  %-22s %4d" % ("distinct entities", distinct))

    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    if errors:
        print("FAILED (%d errors)" % len(errors))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
