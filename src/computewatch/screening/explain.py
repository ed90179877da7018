"""Every score in words a compliance officer can put in a report."""

from __future__ import annotations

from typing import Any

from computewatch.names.analyze import NameForm, analyze_name
from computewatch.screening.model import ListEntity, Query
from computewatch.screening.scoring import PairScore


def explain(
    query: Query,
    form: NameForm,
    list_name: str,
    pair: PairScore,
    country_effect: float,
    entity: ListEntity,
    score: float,
    threshold: float,
    kind: str = "organization",
    name_score: float | None = None,
) -> tuple[str, dict[str, Any]]:
    listed = analyze_name(list_name)
    kind_words = "a person's names" if kind == "person" else "organisation names"
    parts = [f"Compared query name '{query.name}' with listed name '{list_name}' as {kind_words}."]
    forms = form.translations() + [f"list side: {t}" for t in listed.translations()]
    forms += list(form.notes) + [f"list side: {n}" for n in listed.notes]
    if form.titles or listed.titles:
        forms.append("title set aside: " + ", ".join(form.titles + tuple(f"list side: {t}" for t in listed.titles)))
    if form.legal_forms or listed.legal_forms:
        forms.append(
            "company type set aside: "
            + (", ".join(form.legal_forms) or "none")
            + " vs "
            + (", ".join(listed.legal_forms) or "none")
        )
    if forms:
        parts.append("Forms used: " + "; ".join(forms) + ".")
    if pair.aligned:
        shown = [
            (f"{a.query} (said already by {a.candidate})" if a.how == "echo" else
             f"{a.query} = {a.candidate}" + ("" if a.how == "exact" else f" ({a.how}, {a.similarity:.2f})"))
            for a in pair.aligned
        ]
        parts.append("Words that meet: " + ", ".join(shown) + ".")
    if name_score is not None and abs(name_score - pair.score) > 1e-9:
        parts.append(f"Name score {pair.score:.2f} on the {kind} scale is {name_score:.2f} on the common one.")
    lowered = []
    if pair.unmatched_query:
        lowered.append("only in query: " + ", ".join(pair.unmatched_query))
    if pair.unmatched_candidate:
        lowered.append("only in listed name: " + ", ".join(pair.unmatched_candidate))
    if lowered:
        parts.append("Lowered by words " + "; ".join(lowered) + ".")
    if country_effect > 0:
        parts.append(f"Raised {country_effect:+.2f}: country {query.country.upper()} is the listed party's.")
    elif country_effect < 0:
        parts.append(
            f"Lowered {country_effect:+.2f}: query country {query.country.upper()} is not among "
            f"{', '.join(c.upper() for c in entity.countries)}."
        )
    verdict = "match" if score >= threshold else "no match"
    parts.append(f"Score {score:.2f} against threshold {threshold:.2f}: {verdict}.")
    features = {
        "query_name": query.name,
        "list_name": list_name,
        "name_score": round(pair.score, 4),
        "name_kind": kind,
        "country_effect": country_effect,
        "aligned": [
            {"query": a.query, "list": a.candidate, "how": a.how, "similarity": round(a.similarity, 3)}
            for a in pair.aligned
        ],
        "only_in_query": pair.unmatched_query,
        "only_in_list_name": pair.unmatched_candidate,
        "forms": forms,
    }
    return " ".join(parts), features
