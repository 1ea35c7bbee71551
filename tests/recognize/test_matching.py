"""Matching on a tiny knowledge base: longest match, token boundaries, variants, abbreviations."""

from __future__ import annotations

from dxatlas.recognize.abbreviations import find_definitions, occurrences
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.mention import Kind
from dxatlas.recognize.sentences import split_sentences


def _found(annotator: Annotator, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.id) for m in annotator.annotate(text).mentions]


def test_offsets_point_into_the_original_text(tiny_annotator: Annotator) -> None:
    text = "Since May:  severe   ANAEMIA,\nthen neutropenia."
    for mention in tiny_annotator.annotate(text).mentions:
        assert text[mention.start : mention.end] == mention.text
    assert _found(tiny_annotator, text) == [
        ("ANAEMIA", "HP:0001903"),
        ("neutropenia", "HP:0001875"),
    ]


def test_longest_match_wins(tiny_annotator: Annotator) -> None:
    mentions = tiny_annotator.annotate("Leukemia, chronic lymphocytic was diagnosed.").mentions
    # The disease name wins; the finding it names is reported beside it, marked as nested.
    assert {(m.text, m.id, m.via) for m in mentions} == {
        ("Leukemia, chronic lymphocytic", "OMIM:151400", "lexicon"),
        ("Leukemia", "HP:0001909", "inside-disease-name"),
    }
    assert _found(tiny_annotator, "He has chronic lymphocytic leukemia.")[0] == (
        "chronic lymphocytic leukemia",
        "OMIM:151400",
    )


def test_whole_tokens_only(tiny_annotator: Annotator) -> None:
    assert _found(tiny_annotator, "Feverfew, anemiaX and prefever.") == []  # a plant, not fever


def test_inflection_spelling_and_hyphenation(tiny_annotator: Annotator) -> None:
    found = _found(
        tiny_annotator, "Papular lesions, leukaemia, tonic clonic seizures and a stomach-ache."
    )
    assert ("Papular", "HP:0200034") in found
    assert ("leukaemia", "HP:0001909") in found
    assert ("tonic clonic seizures", "HP:0012758") in found
    assert ("stomach-ache", "HP:0002027") in found


def test_word_order_and_function_words(tiny_annotator: Annotator) -> None:
    assert _found(tiny_annotator, "corpus callosum hypoplasia") == [
        ("corpus callosum hypoplasia", "HP:0002079")
    ]


def test_coordinated_heads_are_distributed(tiny_annotator: Annotator) -> None:
    found = _found(tiny_annotator, "She had a cleft lip and palate.")
    assert ("cleft lip", "HP:0410030") in found and ("palate", "HP:0000175") in found


def test_a_one_word_name_gives_way_to_its_coordinated_completion(
    tiny_annotator: Annotator,
) -> None:
    """Regression: in "leg pain and swelling" the word "swelling" named only swelling in general
    (edema), not the leg swelling the sentence reports."""
    tiny_annotator.add_concept("USER:lp", "Leg pain", kind="finding")
    tiny_annotator.add_concept("USER:sw", "Swelling", kind="finding")
    tiny_annotator.add_concept("USER:ls", "Leg swelling", kind="finding")
    found = _found(tiny_annotator, "She has leg pain and swelling.")
    assert ("swelling", "USER:ls") in found and ("swelling", "USER:sw") not in found
    assert ("leg pain", "USER:lp") in found
    assert ("swelling", "USER:sw") in _found(tiny_annotator, "She has a fever and swelling.")


def test_a_site_after_a_list_completes_its_one_word_items(
    tiny_annotator: Annotator,
) -> None:
    """Regression: "Pain or tenderness in the leg" (a deep vein thrombosis page) named pain in
    general, so a patient's leg pain found the page only through "pain"."""
    tiny_annotator.add_concept("USER:lp", "Leg pain", kind="finding")
    tiny_annotator.add_concept("USER:pain", "Pain", kind="finding")
    tiny_annotator.add_concept("USER:jp", "Joint pain", kind="finding")
    tiny_annotator.add_concept("USER:js", "Joint swelling", kind="finding")
    found = _found(tiny_annotator, "Pain or tenderness in the leg.")
    assert ("Pain", "USER:lp") in found and ("Pain", "USER:pain") not in found
    # The second item a name with the site too: each item takes the site, either word order.
    both = _found(tiny_annotator, "Pain and swelling in the joints.")
    assert ("Pain", "USER:jp") in both and ("swelling in the joints", "USER:js") in both
    # A longer list: each one-word item that makes a name with the site.
    longer = _found(tiny_annotator, "Warmth, swelling, pain and redness of the leg.")
    assert ("pain", "USER:lp") in longer and ("pain", "USER:pain") not in longer
    # A site after a comma, or no list, completes nothing.
    assert ("Pain", "USER:pain") in _found(tiny_annotator, "Pain or tenderness, leg cramps.")
    assert ("Pain", "USER:pain") in _found(tiny_annotator, "Pain in children is common.")


def test_a_list_of_one_word_items_before_a_site_completes_each(
    tiny_annotator: Annotator,
) -> None:
    """Regression: "a swollen and tender leg" named nothing: "tender leg" is no name, so the
    rule that lends a coordinated name's head to the items before it never saw the list."""
    tiny_annotator.add_concept("USER:ls", "Swollen leg", kind="finding")
    tiny_annotator.add_concept("USER:ln", "Swollen lymph nodes", kind="finding")
    tiny_annotator.add_concept("USER:ds", "Dry skin", kind="finding")
    assert ("swollen", "USER:ls") in _found(tiny_annotator, "She has a swollen and tender leg.")
    assert ("swollen", "USER:ls") in _found(tiny_annotator, "A swollen, tender leg.")
    # A site of two words; and a list of three, whose earlier items each take the site.
    assert ("Swollen", "USER:ln") in _found(tiny_annotator, "Swollen and tender lymph nodes.")
    assert ("Dry", "USER:ds") in _found(tiny_annotator, "Dry, flaky and warm skin.")
    # No list, a site in the next sentence, or a list after the site: nothing.
    assert _found(tiny_annotator, "A swollen tender leg.") == []
    assert _found(tiny_annotator, "It was swollen and tender. Leg cramps followed.") == []
    assert _found(tiny_annotator, "The leg, swollen and tender.") == []


def test_a_whole_name_is_shared_by_a_list_of_modifiers(tiny_annotator: Annotator) -> None:
    tiny_annotator.add_concept("USER:wm", "White matter changes", kind="finding")
    tiny_annotator.add_concept("USER:pv", "Periventricular white matter changes", kind="finding")
    found = _found(
        tiny_annotator,
        "The scan showed periventricular, thalamic and cortical white matter changes.",
    )
    assert found == [("periventricular", "USER:pv"), ("white matter changes", "USER:wm")]
    # No list, no sharing: "periventricular" alone names nothing here.
    assert _found(tiny_annotator, "Periventricular cysts and white matter changes.") == [
        ("white matter changes", "USER:wm")
    ]


def test_every_item_of_a_list_is_tried_and_beats_an_anatomy_word(
    tiny_annotator: Annotator,
) -> None:
    tiny_annotator.add_concept("USER:skin", "Skin anomalies", kind="finding")
    tiny_annotator.add_concept("USER:genital", "Genital anomalies", kind="finding")
    found = _found(tiny_annotator, "It includes skin, ear and genital anomalies.")
    assert found == [("skin", "USER:skin"), ("genital anomalies", "USER:genital")]
    assert _found(tiny_annotator, "A skin rash and genital anomalies.") == [
        ("skin", "anatomy:skin"),
        ("genital anomalies", "USER:genital"),
    ]


def test_findings_inside_a_disease_name(tiny_annotator: Annotator) -> None:
    mentions = tiny_annotator.annotate("Brachydactyly, type A1 runs in this family.").mentions
    assert {(m.id, m.via) for m in mentions} == {
        ("OMIM:112500", "lexicon"),
        ("HP:0001156", "inside-disease-name"),
    }


def test_kinds(tiny_annotator: Annotator) -> None:
    kinds = {
        m.text: m.kind
        for m in tiny_annotator.annotate(
            "A skin biopsy after chemotherapy; autosomal dominant fever; Toy fever syndrome."
        ).mentions
    }
    assert kinds["skin biopsy"] == Kind.OTHER
    assert kinds["chemotherapy"] == Kind.OTHER
    assert kinds["autosomal dominant"] == Kind.MODIFIER
    assert kinds["fever"] == Kind.FINDING
    assert kinds["Toy fever syndrome"] == Kind.DISEASE


def test_short_forms_need_a_definition_or_the_curated_list(tiny_annotator: Annotator) -> None:
    assert _found(tiny_annotator, "CP and ALL were discussed.") == []
    assert _found(tiny_annotator, "GERD was treated.") == [("GERD", "HP:0002020")]
    assert _found(tiny_annotator, "A CT was done.") == [("CT", "test:computed-tomography")]
    assert _found(tiny_annotator, "A ct was done.") == []


def test_document_definitions_resolve_for_the_rest_of_the_document(
    tiny_annotator: Annotator,
) -> None:
    text = "CP is rare. She has cerebral palsy (CP). The CP is mild.\n\nCP worsened."
    annotation = tiny_annotator.annotate(text)
    found = [(m.text, m.id, m.via) for m in annotation.mentions]
    assert found == [
        ("cerebral palsy", "HP:0100021", "lexicon"),
        ("CP", "HP:0100021", "abbreviation"),
        ("CP", "HP:0100021", "abbreviation"),
        ("CP", "HP:0100021", "abbreviation"),
    ]
    assert annotation.abbreviations == {"CP": "HP:0100021"}


def test_a_definition_overrides_the_curated_list(tiny_annotator: Annotator) -> None:
    annotation = tiny_annotator.annotate("Gastroesophageal reflux (GERD) and GERD again.")
    assert {m.id for m in annotation.mentions} == {"HP:0002020"}


def test_schwartz_hearst_definitions() -> None:
    text = "Systemic leukemia precedes leukemia cutis (LC) and acute myeloid leukemia (AML)."
    found = [(d.short, text[d.long_start : d.long_end]) for d in find_definitions(text)]
    assert found == [("LC", "leukemia cutis"), ("AML", "acute myeloid leukemia")]
    assert find_definitions("as shown (Figure 2) and (see below)") == []
    assert occurrences("LC, xLC, LC-1 and LC.", "LC") == [(0, 2), (18, 20)]


def test_user_concepts_are_recognised(tiny_annotator: Annotator) -> None:
    tiny_annotator.add_concept(
        "USER:lc", "Leukemia cutis", ["cutaneous leukemia", "leukaemia cutis"]
    )
    found = _found(tiny_annotator, "Leukaemia cutis, also called cutaneous leukaemia.")
    assert found == [("Leukaemia cutis", "USER:lc"), ("cutaneous leukaemia", "USER:lc")]


def test_a_stored_disease_named_like_a_finding_reads_as_the_finding(
    tiny_annotator: Annotator,
) -> None:
    # Health sites have pages about "Fever"; in text the word still says what a patient has.
    tiny_annotator.add_concept("DXATLAS:fever", "Fever")
    tiny_annotator.add_concept("DXATLAS:lc", "Leukemia cutis")
    mentions = tiny_annotator.annotate("Fever and leukemia cutis.").mentions
    fever, lc = (m for m in mentions if m.text.lower() in ("fever", "leukemia cutis"))
    assert (fever.id, fever.kind) == ("HP:0001945", "finding")
    assert "DXATLAS:fever" in fever.alternatives
    assert lc.id == "DXATLAS:lc"  # a user concept no finding is named like still wins


def test_recognition_sentences_are_the_ingest_splitters_as_slices() -> None:
    from dxatlas.ingest.sentences import split_sentences as ingest_split

    text = "First one. Second one!\n\nHeading\n• bullet item"
    spans = split_sentences(text)
    assert [s.text for s in spans] == ["First one.", "Second one!", "Heading", "bullet item"]
    assert [(s.start, s.end) for s in spans] == [(s.start, s.end) for s in ingest_split(text)]
    for span in spans:
        assert text[span.start : span.end] == span.text
