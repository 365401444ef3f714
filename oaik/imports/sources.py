"""The indices OAIK imports: where they come from, their licence and how to credit them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Index:
    key: str  # "osai" or "mot": the command's argument and the prefix of minted slugs
    name: str
    short: str  # qualifies the labels of the entities an import makes
    repository: str  # upstream repository (commits are read from a checkout of it)
    homepage: str
    license: str  # SPDX IRI
    citation: str
    credit: str  # the attribution line of every generated file
    facts: str  # what an import takes from the files as facts (the snapshot's curator's note)

    @property
    def snapshot(self) -> str:
        return f"{self.key}-snapshot"

    def commit_iri(self, commit: str) -> str:
        return f"{self.repository}/commit/{commit}"


OSAI = Index(
    "osai",
    "European Open Source AI Index",
    "OSAI",
    "https://github.com/Language-Technology-Assessment/main-database",
    "https://osai-index.eu/",
    "http://spdx.org/licenses/CC-BY-4.0",
    "European Open Source AI Index, https://osai-index.eu/ (CC-BY 4.0). Liesenfeld, A. and Dingemanse, M., 2024. "
    "Rethinking open source generative AI: open-washing and the EU AI Act. In Proceedings of the 2024 ACM Conference "
    "on Fairness, Accountability, and Transparency (pp. 1774-1787).",
    "Data: European Open Source AI Index, https://osai-index.eu/, licensed CC-BY 4.0; cite Liesenfeld & Dingemanse "
    "(2024), Rethinking open source generative AI: open-washing and the EU AI Act, FAccT '24, pp. 1774-1787.",
    "Grades, links, names, licences and release dates are taken as facts",
)
MOT = Index(
    "mot",
    "Model Openness Tool",
    "MOT",
    "https://github.com/lfai/model_openness_tool",
    "https://github.com/lfai/model_openness_tool",
    "http://spdx.org/licenses/MIT",
    "LF AI & Data Model Openness Tool, model evaluations (models/*.yml). Copyright 2024 The Model Openness Tool "
    "Authors, MIT License.",
    "Data: LF AI & Data Model Openness Tool (https://github.com/lfai/model_openness_tool), "
    "Copyright 2024 The Model Openness Tool Authors, MIT License.",
    "Grades, links, names and licences are taken as facts (not release: date:, which the tool does not define)",
)
INDICES = {index.key: index for index in (OSAI, MOT)}
