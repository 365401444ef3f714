"""Licence names as the indices write them -> licence IRIs and families, by an explicit table.

Only names listed here are mapped; anything else is kept as written
(``oaik:licenseName``) and graded "licence unknown". SPDX identifiers map to
``http://spdx.org/licenses/<id>``; licences without an SPDX identifier map to
the OAIK licence entities of ``data/shared/licenses.ttl`` where one exists.
"""

from __future__ import annotations

import re
import unicodedata

SPDX = "http://spdx.org/licenses/"
LICENSE = "https://w3id.org/oaik/id/license/"

#: Families whose licences count as open when grading a component.
OPEN_FAMILIES = frozenset({"permissive", "copyleft", "open-data"})


def _spdx(identifier: str) -> str:
    return SPDX + identifier


#: normalised name -> (licence IRI or None, family or None)
TABLE: dict[str, tuple[str | None, str | None]] = {
    **dict.fromkeys(
        ["apache-2.0", "apache 2.0", "apache license 2.0", "apache license, version 2.0", "apache-2"],
        (_spdx("Apache-2.0"), "permissive"),
    ),
    **dict.fromkeys(["mit", "mit license"], (_spdx("MIT"), "permissive")),
    **dict.fromkeys(["bsd-3", "bsd-3-clause", "bsd 3-clause"], (_spdx("BSD-3-Clause"), "permissive")),
    "bsd-2-clause": (_spdx("BSD-2-Clause"), "permissive"),
    "gpl-3.0": (_spdx("GPL-3.0-only"), "copyleft"),
    **dict.fromkeys(["cc-by-4.0", "cc by 4.0"], (_spdx("CC-BY-4.0"), "open-data")),
    **dict.fromkeys(["cc-by-sa-4.0", "cc by-sa 4.0"], (_spdx("CC-BY-SA-4.0"), "open-data")),
    "cc0-1.0": (_spdx("CC0-1.0"), "open-data"),
    "cdla-permissive-2.0": (_spdx("CDLA-Permissive-2.0"), "open-data"),
    "odc-by-1.0": (_spdx("ODC-By-1.0"), "open-data"),
    **dict.fromkeys(
        ["cc-by-nc-4.0", "creative commons attribution non commercial 4.0"], (_spdx("CC-BY-NC-4.0"), "non-commercial")
    ),
    **dict.fromkeys(
        ["cc-by-nc-sa-4.0", "creative commons attribution non commercial share alike 4.0"],
        (_spdx("CC-BY-NC-SA-4.0"), "non-commercial"),
    ),
    **dict.fromkeys(
        ["bigscience-bloom-rail-1.0", "bigscience rail license v1.0"],
        (_spdx("BigScience-BLOOM-RAIL-1.0"), "restricted-model"),
    ),
    **dict.fromkeys(
        ["llama 2 community license", "llama 2 community license agreement", "llama2"],
        (LICENSE + "llama-2-community-license", "restricted-model"),
    ),
    **dict.fromkeys(
        [
            "meta llama 3 community license",
            "meta llama 3 community license agreement",
            "llama 3 community license",
            "llama 3 community license agreement",
        ],
        (LICENSE + "llama-3-community-license", "restricted-model"),
    ),
    **dict.fromkeys(["gemma terms of use", "gemma"], (LICENSE + "gemma-terms-of-use", "restricted-model")),
    # named licences with no IRI in OAIK yet: the family is known, the name is kept
    **dict.fromkeys(
        [
            "llama 3.1 community license",
            "llama 3.1 community license agreement",
            "llama 3.2 community license",
            "llama 3.3 community license agreement",
            "llama 4 community license agreement",
            "openrail",
            "bigcode openrail-m v1 license agreement",
            "nvidia open model license",
            "qwen license agreement",
            "deepseek license agreement",
            "databricks open model license",
            "baai aquila model license",
            "baai aquila model licence agreement",
        ],
        (None, "restricted-model"),
    ),
    "proprietary": (None, "proprietary"),
}

#: Values that say a component is included but gives no usable licence.
UNKNOWN = frozenset({"unlicensed", "undisclosed", "unknown", "license", "other license", "various", "unclear"})
#: Values that say the component is not included after all.
_NOT_INCLUDED = re.compile(r"^(component )+not includ")


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).strip().lower()
    return re.sub(r"\s+", " ", text)


def not_included(name: str) -> bool:
    return bool(_NOT_INCLUDED.match(normalise(name)))


def names_none(name: str) -> bool:
    """Whether a licence value names no licence at all ('Unknown', 'Various'): not kept as a licence name."""
    return normalise(name) in UNKNOWN


def look_up(name: str) -> tuple[str | None, str | None]:
    """(licence IRI, family) of a licence name; (None, None) when unknown."""
    key = normalise(name)
    if key in UNKNOWN:
        return None, None
    return TABLE.get(key, (None, None))


def split_names(text: str) -> list[str]:
    """'Apache-2.0 and BigScience RAIL License v1.0' -> its licences (split on ' and ' only)."""
    return [part.strip() for part in re.split(r"\s+and\s+", text.strip()) if part.strip()]


def families_turtle(header: str, prefixes: str) -> str:
    """``<licence> oaik:licenseFamily licensefamily:<family>`` for every licence IRI of the table."""
    pairs = sorted({(iri, family) for iri, family in TABLE.values() if iri and family})
    lines = [
        f"<{iri}> oaik:licenseFamily <https://w3id.org/oaik/vocab/licensefamily/{family}> ." for iri, family in pairs
    ]
    return header + prefixes + "\n" + "\n".join(lines) + "\n"
