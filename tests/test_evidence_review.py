"""The reading review of issue 12: evidence supports the fact on the node it is attached to.

docs/evidence-review.tsv is the worksheet: one row per attachment of an evidence record from
the two papers, with the reviewer's verdict. The first pass read the motivation, governance,
collaboration (compute partnerships included), membership and licence facts; the second read
everything else: challenge, choice and statistic claims, the other statement claims, Table 1
facts (projects, organisations, models, software, datasets, other artifacts), interviewees and
the study, recommendations, and third-party entities. The tests check that the worksheet still
covers the data, and pin each fix the review made to the node that was wrong.
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

# Every attachment of evidence from the two papers: after the second pass every kind of node is reviewed.
# (The first pass covered oaik:MotivationClaim, oaik:GovernanceClaim, oaik:Collaboration, oaik:ComputePartnership,
# org:Membership, dcterms:LicenseDocument, licence and permission statements and licensed artifacts.)
REVIEWED = """
SELECT DISTINCT ?e ?node ?section WHERE {
  ?node oaik:evidence ?e .
  ?e dcterms:source ?source ; oaik:section ?section .
  VALUES ?source { <https://w3id.org/oaik/id/source/cartography-2025>
                   <https://w3id.org/oaik/id/source/vake-open-source-future-of-ai> }
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
    """A new attachment of evidence from the papers, on any kind of node, needs a reading."""
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
        # second pass: which noun a relative clause belongs to, whose work a blog post is about
        ("evidence/shared-5-1-2-dclm-datacomp", "Reading of §5.1.2"),
        ("evidence/hugging-face-5-1-5-evaluation-blogs", "Reading of §5.1.5"),
        ("evidence/ai2-b-1-software-benchmarks", "not on the strength of this sentence"),
    ],
)
def test_ambiguous_reading_is_noted(store, node, phrase):
    """Where the paper is ambiguous (kind of partnership, stage, holder) the fact stays with a note on the reading."""
    assert any(phrase in note for note in objects(store, f"{ID}{node}", f"{OAIK}curatorNote"))


# ---------------------------------------------------------------------------
# Fixes of the second pass (challenge, choice, statistic, Table 1 and other facts)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("section", ["7-2-1", "8-1"])
def test_whatsapp_evidence_is_on_the_organisation_not_the_project(store, section):
    """WhatsApp (Aya's community leads, §7.2.1, §8.1) is a platform of organization:cohere-labs, not of the
    project, whose platforms are Table 1's cell; the records naming it were on the project."""
    evidence = f"{ID}evidence/cohere-labs-{section}-whatsapp"
    assert evidence in objects(store, f"{ID}org/cohere-labs", f"{OAIK}evidence")
    assert evidence not in objects(store, f"{ID}project/cohere-labs", f"{OAIK}evidence")
    assert f"{ID}platform/whatsapp" in objects(store, f"{ID}org/cohere-labs", f"{OAIK}usesPlatform")
    assert f"{ID}platform/whatsapp" not in objects(store, f"{ID}project/cohere-labs", f"{OAIK}usesPlatform")


def test_every_platform_has_a_record_naming_it(store):
    """The check that found the WhatsApp case: a platform on a project or organisation is named (or abbreviated
    as in Table 1) in a quote of an evidence record attached to that same node."""
    abbreviations = {"Hugging Face Hub": ("HF", "Hugging Face"), "LinkedIn": ("LI",), "Google Drive": ("GDrive",)}
    found = rows(
        store,
        """
        SELECT ?node ?label (GROUP_CONCAT(?quote; separator=" | ") AS ?quotes) WHERE {
          ?node oaik:usesPlatform ?platform . ?platform rdfs:label ?label .
          OPTIONAL { ?node oaik:evidence/oaik:quote ?quote }
        } GROUP BY ?node ?label""",
    )
    unnamed = [
        f"{compact(r['node'])} {r['label']}"
        for r in found
        if not any(
            name.lower() in (r.get("quotes") or "").lower() for name in (r["label"], *abbreviations.get(r["label"], ()))
        )
    ]
    assert not unnamed, unnamed


INTERVIEWEE_ROWS = {
    **dict.fromkeys((1, 2), "ai-singapore"),
    3: "eleutherai",
    4: "bigscience",
    5: "cohere-labs",
    6: "meta",
    7: "baai",
    8: "ai2",
    9: "hugging-face",
    10: "speakleash",
    **dict.fromkeys((11, 12, 13), "typhoon"),
    14: "ant-group",
    15: "nb-ai-lab",
    16: "masakhane",
    17: "opengpt-x",
}


@pytest.mark.parametrize("number", sorted(INTERVIEWEE_ROWS))
def test_interviewee_carries_the_table_1_row_that_names_them(store, number):
    """The N.B. sentence ('provided by the interview respondents') names no project; the row's ID cell does."""
    interviewee = f"{ID}interviewee/i{number}"
    row = f"{ID}evidence/{INTERVIEWEE_ROWS[number]}-table-1"
    assert row in objects(store, interviewee, f"{OAIK}evidence")
    (quote,) = objects(store, row, f"{OAIK}quote")
    cell = quote.split()[0]  # "I3" or a range such as "I11-I13"
    first, _, last = cell.partition("-")
    assert int(first[1:]) <= number <= int((last or first)[1:])
    assert interviewee in objects(store, row, f"{OAIK}interviewee")
    (project,) = objects(store, interviewee, f"{OAIK}represents")
    assert row in objects(store, project, f"{OAIK}evidence")


def test_respondents_sentence_says_it_names_no_project(store):
    notes = objects(store, f"{ID}evidence/cartography-table-1-ids", f"{OAIK}curatorNote")
    assert any("does not itself name anyone's project" in note for note in notes)


@pytest.mark.parametrize("model", ["llama-3-3-1", "llama-3-1-8b"])
def test_llama_release_named_in_another_row_carries_metas_sentence(store, model):
    """AI Singapore's and Masakhane's rows name the Llama releases but not their maker; B.8 does."""
    assert objects(store, f"{ID}model/{model}", f"{OAIK}producedBy") == {f"{ID}org/meta"}
    assert f"{ID}evidence/meta-b-8-llama-series" in objects(store, f"{ID}model/{model}", f"{OAIK}evidence")


# Vague quantities (issue 12): a number is stored only where a quote gives it.

NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10, "twelve": 12}


def numbers_in(text: str) -> set[int]:
    import re

    found = set()
    for match in re.finditer(r"(\d[\d,]*)(\s*million)?", text):
        value = int(match.group(1).replace(",", ""))
        found.add(value * 1_000_000 if match.group(2) else value)
    found |= {value for word, value in NUMBER_WORDS.items() if re.search(rf"\b{word}\b", text, re.IGNORECASE)}
    return found


@pytest.fixture(scope="module")
def statistics(store) -> list[dict[str, str]]:
    return rows(
        store,
        """
        SELECT ?s ?qualifier ?value ?upper (GROUP_CONCAT(?quote; separator=" | ") AS ?quotes) WHERE {
          ?s a oaik:Statistic ; oaik:qualifier ?qualifier ; oaik:evidence/oaik:quote ?quote .
          OPTIONAL { ?s oaik:value ?value } OPTIONAL { ?s oaik:upperValue ?upper }
        } GROUP BY ?s ?qualifier ?value ?upper""",
    )


def test_statistics_were_found(statistics):
    assert len(statistics) >= 50


def test_every_stored_number_is_in_a_quote(statistics):
    """No statistic carries a value (or upper value) that none of its quotes gives, in digits or words."""
    invented = [
        f"{compact(r['s'])} = {value}"
        for r in statistics
        for value in (r.get("value"), r.get("upper"))
        if value is not None and int(value) not in numbers_in(r["quotes"])
    ]
    assert not invented, invented


def test_words_for_amounts_carry_no_number(statistics):
    """'dozens' and 'thousands' stay words: the qualifier carries the amount, there is no oaik:value."""
    vague = [r for r in statistics if r["qualifier"].rsplit("/", 1)[1] in {"dozens", "thousands"}]
    assert vague, "the dozens/thousands statistics of §7.1.3 are expected"
    assert not [compact(r["s"]) for r in vague if r.get("value") is not None or r.get("upper") is not None]


@pytest.mark.parametrize(
    ("qualifier", "words"),
    [("at-least", ("over", "+", "more than", "at least")), ("approximately", ("around", "about", "like", "estimate"))],
)
def test_qualifier_is_in_the_quote(statistics, qualifier, words):
    """An at-least or approximate figure has the word (or '+') that makes it so in one of its quotes."""
    wrong = [
        compact(r["s"])
        for r in statistics
        if r["qualifier"].endswith("/" + qualifier) and not any(word in r["quotes"].lower() for word in words)
    ]
    assert not wrong, wrong


# ---------------------------------------------------------------------------
# Against the paper (skips without ../shared)
# ---------------------------------------------------------------------------


def test_detached_sentence_is_in_the_governance_section(cartography_by_section):
    sentence = (
        "In some cases, companies initiate strategic collaborations with external stakeholder to gain access to "
        "specific expertise. For example, I11 from SCB 10X describes their partnership approach as existing "
        "“on a spectrum” from formal agreements to casual collaborations"
    )
    assert normalise(sentence) in cartography_by_section["7.1.1"]


def test_whatsapp_is_not_in_the_cohere_labs_row_of_table_1(cartography_text, cartography_by_section):
    """Why the WhatsApp records belong on the organisation: Table 1's platform cell for Cohere Labs lacks it."""
    row = "I5 Cohere Labs Non-profit arm of startup Command Aya-23, Aya Expanse 18 datasets Research papers, blog Discord, mailing list"
    assert row in cartography_text
    assert "WhatsApp" not in row
    sentence = (
        "community leads for their 101 target languages “preferred a range of online platforms, including WhatsApp.”"
    )
    assert sentence in cartography_by_section["7.2.1"]


def test_the_dclm_sentence_is_ambiguous(cartography_text):
    """The relative clause can attach to DCLM or to DataComp; the data says how it was read."""
    assert (
        "open datasets like DCLM from DataComp, which was a collaboration between Toyota research and several other "
        "organizations on English data." in cartography_text
    )
