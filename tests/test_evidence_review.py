"""The reading review of issue 12: evidence supports the fact on the node it is attached to.

docs/evidence-review.tsv is the worksheet: one row per evidence record attached to a
motivation, governance, collaboration (compute partnerships included), membership or
licence fact, with the reviewer's verdict. The tests check that the worksheet still covers
the data, and pin each fix the review made to the node that was wrong.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import normalise, rows

from oaik.namespaces import compact

ID = "https://w3id.org/oaik/id/"
OAIK = "https://w3id.org/oaik/ns#"
CLAIMSTATUS = "https://w3id.org/oaik/vocab/claimstatus/"
WORKSHEET = Path(__file__).resolve().parent.parent / "docs" / "evidence-review.tsv"
VERDICTS = {"supported", "misattached", "too-weak"}

# Evidence from the two papers on the reviewed kinds of fact (same selection as the worksheet).
REVIEWED = """
SELECT DISTINCT ?e ?node ?section WHERE {
  ?node oaik:evidence ?e .
  ?e dcterms:source ?source ; oaik:section ?section .
  VALUES ?source { <https://w3id.org/oaik/id/source/cartography-2025>
                   <https://w3id.org/oaik/id/source/vake-open-source-future-of-ai> }
  {
    VALUES ?class { oaik:MotivationClaim oaik:GovernanceClaim oaik:Collaboration oaik:ComputePartnership
                    org:Membership dcterms:LicenseDocument }
    ?node a ?class .
  } UNION {
    VALUES ?property { dcterms:license oaik:commercialUse oaik:academicUse oaik:personalUse oaik:governanceModel }
    ?node a oaik:StatementClaim ; oaik:claimProperty ?property .
  } UNION {
    ?node dcterms:license ?licence .
  }
}
"""


def objects(store, subject: str, predicate: str) -> set[str]:
    import pyoxigraph as ox

    return {q.object.value for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)}


@pytest.fixture(scope="module")
def worksheet() -> list[dict[str, str]]:
    with WORKSHEET.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def reviewed(store) -> dict[tuple[str, str], str]:
    """(evidence, node) as compact IRIs -> cited section, for every reviewed attachment in the data."""
    return {(compact(r["e"]), compact(r["node"])): r["section"] for r in rows(store, REVIEWED)}


# ---------------------------------------------------------------------------
# The worksheet
# ---------------------------------------------------------------------------


def test_worksheet_rows_are_complete(worksheet):
    assert worksheet
    bad = [r for r in worksheet if r["verdict"] not in VERDICTS or not r["note"].strip() or not r["fact"].strip()]
    assert not bad, f"worksheet rows without a known verdict, a fact or a note: {bad[:5]}"


def test_every_reviewed_attachment_has_a_worksheet_row(worksheet, reviewed):
    """A new evidence record on a motivation, governance, collaboration or licence fact needs a reading."""
    read = {(r["evidence"], r["node"]) for r in worksheet}
    unread = sorted(set(reviewed) - read)
    assert not unread, "evidence attached since the review, not in docs/evidence-review.tsv:\n" + "\n".join(
        f"{e} on {n}" for e, n in unread
    )


def test_worksheet_sections_match_the_data(worksheet, reviewed):
    wrong = [
        f"{r['evidence']} on {r['node']}: worksheet §{r['section']}, data §{reviewed[(r['evidence'], r['node'])]}"
        for r in worksheet
        if (r["evidence"], r["node"]) in reviewed and reviewed[(r["evidence"], r["node"])] != r["section"]
    ]
    assert not wrong, "\n".join(wrong)


def test_misattached_evidence_is_detached(worksheet, reviewed):
    still = [
        f"{r['evidence']} on {r['node']}"
        for r in worksheet
        if r["verdict"] == "misattached" and (r["evidence"], r["node"]) in reviewed
    ]
    assert not still, f"evidence the review found misattached is still attached: {still}"


def test_supported_rows_are_still_attached(worksheet, reviewed):
    gone = [
        f"{r['evidence']} on {r['node']}"
        for r in worksheet
        if r["verdict"] != "misattached" and (r["evidence"], r["node"]) not in reviewed
    ]
    assert not gone, f"worksheet rows whose attachment is gone (update docs/evidence-review.tsv): {gone}"


# ---------------------------------------------------------------------------
# Fixes, each pinned to its node
# ---------------------------------------------------------------------------


def test_partnership_approach_is_not_evidence_of_the_academic_data_collection(store):
    """I11's 'on a spectrum' describes SCB 10X's partnerships in general, not the Thai academic data work (§7.1.1)."""
    collab = f"{ID}collab/typhoon-thai-academic-data-collection"
    assert objects(store, collab, f"{OAIK}evidence") == {f"{ID}evidence/typhoon-7-1-1-outsourcing"}
    assert not objects(store, f"{ID}evidence/typhoon-7-1-1-spectrum", f"{OAIK}quote")


def test_partnership_approach_stays_with_the_governance_reading(store):
    """The sentence is not lost: the inferred governance classification of Typhoon still quotes it."""
    quote = objects(store, f"{ID}evidence/typhoon-governance-inferred", f"{OAIK}quote")
    assert any("“on a spectrum” from formal agreements to casual collaborations" in q for q in quote)


@pytest.mark.parametrize("licence", ["MIT", "Apache-2.0"])
def test_permissive_is_a_reading_not_a_statement_of_permissions(store, licence):
    """§5.1.2 only calls MIT and Apache v2 'permissive'; the permissions read from that are inferred."""
    evidence = f"{ID}evidence/shared-5-1-2-permissive-licences"
    assert evidence in objects(store, f"http://spdx.org/licenses/{licence}", f"{OAIK}evidence")
    assert objects(store, evidence, f"{OAIK}claimStatus") == {f"{CLAIMSTATUS}inferred"}
    assert any("'permissive'" in note for note in objects(store, evidence, f"{OAIK}curatorNote"))


HELD_BY_INTERVIEWEE = {
    "ant-group-motivation-expertise-recognition": ("ant-group-6-2-3-company-famous", "i14"),
    "ant-group-motivation-personal-passion": ("ant-group-6-1-7-passion", "i14"),
    "masakhane-motivation-career-advancement": ("masakhane-6-2-4-citations", "i16"),
    "typhoon-motivation-expertise-recognition": ("typhoon-6-2-3-perceived-leader", "i12"),
    # challenge claims with the same stale note, found by test_no_note_denies_a_holder_the_claim_names
    "nb-ai-lab-challenge-undervalued-data-curation": ("nb-ai-lab-5-1-2-data-work", "i15"),
    "nb-ai-lab-challenge-dataset-sharing-reluctance": ("nb-ai-lab-5-1-2-sharing-reluctance", "i15"),
}


@pytest.mark.parametrize("claim", sorted(HELD_BY_INTERVIEWEE))
def test_general_remark_is_held_by_its_interviewee_and_the_note_says_so(store, claim):
    evidence, interviewee = HELD_BY_INTERVIEWEE[claim]
    assert objects(store, f"{ID}claim/{claim}", f"{OAIK}heldBy") == {f"{ID}interviewee/{interviewee}"}
    notes = objects(store, f"{ID}evidence/{evidence}", f"{OAIK}curatorNote")
    assert notes and all(f"interviewee:{interviewee}" in note for note in notes)


def test_no_note_denies_a_holder_the_claim_names(store):
    """A note saying 'no holder is given' contradicts oaik:heldBy on the claim or its evidence."""
    found = rows(
        store,
        """
        SELECT ?claim ?note WHERE {
          ?claim oaik:heldBy ?holder .
          { ?claim oaik:curatorNote ?note } UNION { ?claim oaik:evidence/oaik:curatorNote ?note }
          FILTER(CONTAINS(LCASE(?note), "no holder"))
        }""",
    )
    assert not found, [compact(r["claim"]) for r in found]


@pytest.mark.parametrize(
    ("node", "phrase"),
    [
        ("collab/eleutherai-lumi-access", "Reading of §5.1.3"),
        ("collab/cohere-labs-aya-community-language-help", "before or after the Aya releases"),
        ("collab/hugging-face-fineweb-2-crowdsourced-annotation", "not of a model"),
        ("claim/opengpt-x-motivation-ecosystem-building", "not of OpenGPT-X's own aims"),
    ],
)
def test_ambiguous_reading_is_noted(store, node, phrase):
    """Where the paper is ambiguous (kind of partnership, stage, holder) the fact stays with a note on the reading."""
    assert any(phrase in note for note in objects(store, f"{ID}{node}", f"{OAIK}curatorNote"))


# ---------------------------------------------------------------------------
# Against the paper (skips without ../shared)
# ---------------------------------------------------------------------------


def test_detached_sentence_is_in_the_governance_section(cartography_text):
    sentence = (
        "In some cases, companies initiate strategic collaborations with external stakeholder to gain access to "
        "specific expertise. For example, I11 from SCB 10X describes their partnership approach as existing "
        "“on a spectrum” from formal agreements to casual collaborations"
    )
    assert normalise(sentence) in cartography_text
    start = cartography_text.index("7.1.1 Company projects")
    assert (
        start
        < cartography_text.index(normalise(sentence))
        < cartography_text.index("7.1.2 Research institute projects")
    )
