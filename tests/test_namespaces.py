"""Compact names: the dictionary lookup of oaik.namespaces gives what the definition (longest namespace) says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oaik.namespaces import PREFIXES, compact, prefix_of

NAMESPACES = list(PREFIXES.values())


def by_definition(iri: str) -> tuple[str, str | None]:
    """(compact name, prefix) by scanning every namespace, longest first (first prefix of a namespace wins)."""
    ordered = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
    name = next((f"{p}:{iri[len(n) :]}" for p, n in ordered if iri.startswith(n) and len(iri) > len(n)), f"<{iri}>")
    return name, next((p for p, n in ordered if iri.startswith(n)), None)


def test_every_namespace_ends_with_a_slash_or_hash():
    """The lookup cuts IRIs after ``/`` and ``#`` only."""
    assert all(namespace[-1] in "/#" for namespace in NAMESPACES)


@settings(max_examples=400, derandomize=True)
@given(
    st.one_of(
        st.builds(lambda n, s: n + s, st.sampled_from(NAMESPACES), st.text(alphabet="ab/#-_.:", max_size=8)),
        st.builds(lambda n, k: n[:k], st.sampled_from(NAMESPACES), st.integers(0, 60)),
        st.text(alphabet="htps:/#w3id.orgab", max_size=30),
    )
)
def test_compact_and_prefix_of_follow_the_definition(iri: str):
    assert (compact(iri), prefix_of(iri)) == by_definition(iri)
