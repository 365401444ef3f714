"""Evidence records: complete, and their quotes verbatim from the source."""

from __future__ import annotations

import pytest
from conftest import normalise, rows

EVIDENCE = """
SELECT ?e ?source ?section ?quote ?status WHERE {
  ?e a oaik:Evidence .
  OPTIONAL { ?e dcterms:source ?source }
  OPTIONAL { ?e oaik:section ?section }
  OPTIONAL { ?e oaik:quote ?quote }
  OPTIONAL { ?e oaik:claimStatus ?status }
} ORDER BY ?e
"""


@pytest.fixture(scope="module")
def evidence(store):
    return rows(store, EVIDENCE)


def test_there_is_evidence(evidence):
    assert len(evidence) > 0


def test_every_evidence_has_source_section_quote_and_status(evidence):
    incomplete = [
        e["e"] for e in evidence if not (e["source"] and e["section"] and (e["quote"] or "").strip() and e["status"])
    ]
    assert not incomplete, f"evidence without source, section, quote or claim status: {incomplete}"


def test_quotes_are_verbatim_from_the_cartography(evidence, cartography_text):
    cartography = "https://w3id.org/oaik/id/source/cartography-2025"
    missing = [
        f"{e['e']}: {e['quote'][:80]!r}"
        for e in evidence
        if e["source"] == cartography and normalise(e["quote"]) not in cartography_text
    ]
    assert not missing, "quotes not found verbatim in the source text:\n" + "\n".join(missing)


def test_quotes_are_in_their_cited_section(evidence, cartography_by_section):
    sections = cartography_by_section
    cartography = "https://w3id.org/oaik/id/source/cartography-2025"
    misplaced = [
        f"{e['e']} (§{e['section']}): {e['quote'][:60]!r}"
        for e in evidence
        if e["source"] == cartography and normalise(e["quote"]) not in sections.get(e["section"], "")
    ]
    assert not misplaced, "quotes not found in the section they cite:\n" + "\n".join(misplaced)
