"""`dxatlas page`: a concept's page (cited evidence by section, findings, patients, curated data)."""

from __future__ import annotations

import json
from enum import StrEnum

import typer

from dxatlas.cli.app import app, fail, load_kb


class PageFormat(StrEnum):
    MD = "md"
    JSON = "json"


@app.command("page")
def page(
    name: str = typer.Argument(..., help="A concept name, synonym or id (user or curated)."),
    output: PageFormat = typer.Option(
        PageFormat.MD, "--format", help="md for reading, json for machines."
    ),
) -> None:
    """Show a concept page: evidence sentences with their sources, by section and finding."""
    from dxatlas.cli.db import open_store
    from dxatlas.kb.lookup import NameIndex, UnknownNameError
    from dxatlas.pages.build import curated_page_concept, load_page, state_page_concept
    from dxatlas.pages.concept_page import page_json, page_markdown
    from dxatlas.store import CuratedNames

    kb = load_kb()
    with open_store(CuratedNames.from_kb(kb)) as store:
        state = store.find_concept(name)
        if state is not None:
            concept = state_page_concept(state)
        else:
            try:
                index = NameIndex.build(kb).disease(name)
            except UnknownNameError as error:
                fail(
                    f"no concept is named {name!r} (neither a stored concept nor a curated "
                    f"disease): {error}"
                )
            concept = curated_page_concept(kb, kb.disease_ids[index])
        payload = page_json(load_page(store, kb, concept))
    if output == PageFormat.JSON:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(page_markdown(payload), end="")
