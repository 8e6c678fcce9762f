"""The method without the database: threshold choice, text folding, what a model file holds,
the vocabulary."""

import pickle

import numpy as np
import pytest

from rathaus.classifier import training
from rathaus.classifier.training import text_hash, text_normalise, threshold_choose

from .letters import letters


def test_the_threshold_is_the_smallest_that_reaches_the_precision():
    # Sorted by probability: right, right, wrong, right, wrong.
    choice = threshold_choose(
        probabilities=[0.99, 0.95, 0.9, 0.8, 0.7],
        predicted=["a", "a", "b", "a", "b"],
        truth=["a", "a", "a", "a", "a"],
        target=0.75,
    )
    # At 0.8: 3 of 4 right (0.75); at 0.7: 3 of 5.
    assert choice.threshold == 0.8
    assert choice.coverage == 0.8
    assert choice.precision == 0.75
    assert choice.reached


def test_the_threshold_never_goes_below_the_floor():
    # Held-out letters right from the floor on: the floor is the threshold, not the first
    # probability above it (the letters cannot tell the thresholds in between apart).
    choice = threshold_choose(
        probabilities=[0.9, 0.4, 0.3], predicted=["a", "b", "b"], truth=["a", "b", "b"], floor=0.5
    )
    assert choice.threshold == 0.5
    assert choice.coverage == pytest.approx(1 / 3)
    # A wrong letter above the floor: the threshold rises above it, to a probability seen.
    wrong = threshold_choose(
        probabilities=[0.9, 0.6, 0.3],
        predicted=["a", "b", "b"],
        truth=["a", "a", "b"],
        floor=0.5,
        target=0.98,
    )
    assert wrong.threshold == 0.9
    unsure = threshold_choose(
        probabilities=[0.4, 0.3], predicted=["a", "b"], truth=["a", "b"], floor=0.5
    )
    assert unsure.threshold == 1.0
    assert not unsure.reached


def test_an_unreachable_precision_abstains_on_everything():
    choice = threshold_choose(
        probabilities=[0.9, 0.8], predicted=["a", "b"], truth=["b", "a"], target=0.98
    )
    assert choice.threshold == 1.0
    assert not choice.reached
    assert choice.coverage == 0.0


def test_other_does_not_count_for_the_threshold():
    # "other" is never routed, so its mistakes do not push the threshold up.
    choice = threshold_choose(
        probabilities=[0.99, 0.9, 0.6],
        predicted=["other", "a", "a"],
        truth=["b", "a", "a"],
        target=0.98,
        floor=0.5,
    )
    assert choice.threshold == 0.5
    assert choice.coverage == pytest.approx(2 / 3)


def test_ocr_variants_of_a_text_look_alike():
    assert text_normalise("Wider-\n spruch vom 03.11.2026") == "widerspruch vom 00.00.0000"
    assert text_normalise("STRASSE  Straße") == "strasse strasse"
    assert text_hash("Sehr geehrte\nDamen ") == text_hash("sehr  geehrte damen")
    assert text_hash("Hund") != text_hash("Hunde")


def test_a_model_file_holds_no_words_of_the_letters():
    items = letters(10, seed=1)
    fitted = training.fit(texts=[t for t, _l in items], labels=[label for _t, label in items])
    raw = pickle.dumps(fitted.pipeline)
    for word in ("Yilmaz", "yilmaz", "Luisenstraße", "luisenstraße", "Wuppertal", "wuppertal"):
        assert word.encode() not in raw
    loaded = training.pipeline_loads(training.pipeline_dumps(fitted.pipeline))
    text = items[0][0]
    assert (
        training.predict(pipeline=loaded, threshold=0.5, texts=[text])[0]
        == training.predict(pipeline=fitted.pipeline, threshold=0.5, texts=[text])[0]
    )


def test_the_metrics_table_lists_every_label_and_the_totals():
    result = {
        "size": 3,
        "macro_f1": 0.5,
        "precision": 1.0,
        "coverage": 0.333,
        "routed": 1,
        "labels": {
            "dog_tax": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1},
            "complaint": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2},
        },
    }
    table = training.metrics_table(result).splitlines()
    assert table[0].split() == ["label", "precision", "recall", "F1", "letters"]
    assert table[1].split() == ["complaint", "0.000", "0.000", "0.000", "2"]
    assert table[2].split() == ["dog_tax", "1.000", "1.000", "1.000", "1"]
    assert table[3].split() == ["macro-F1", "0.500", "3"]


# --- Vocabulary ---------------------------------------------------------------------------------

VOCABULARY = training.Vocabulary.of(
    {
        "dog_tax": ["Hundesteuer", "Listenhund", "Hundehalter"],
        "parking_application": ["*parkausweis", "Anwohnerparken", "Kennzeichen"],
        "supplier_invoice": ["Rechnung", "Gutschrift"],
        "complaint": ["Beschwerde", "Zumutung"],
        "other": ["Gewinnspiel", "Newsletter"],
    },
    any_topic=["complaint"],
)


def test_a_term_is_found_at_the_start_of_a_word_or_with_a_star_inside_one():
    counts = training.TermCounts(dict(VOCABULARY.terms)).fit()
    labels = counts.labels_

    def found(text: str) -> dict[str, int]:
        row = counts.transform([text])[0][: len(labels)]
        return {
            label: round(float(np.expm1(value)))
            for label, value in zip(labels, row, strict=True)
            if value
        }

    # Case, line breaks and hyphenation folded; compounds found from their start.
    assert found("HUNDESTEUER-\nbescheid für den Hundehalter") == {"dog_tax": 2}
    assert found("Bewohnerparkausweis und Kennzeichen") == {"parking_application": 2}
    assert found("Die Nachrechnung") == {}  # not at the start of a word: no star
    assert found("Rechnung und noch eine Rechnung") == {"supplier_invoice": 1}  # distinct terms
    assert found("Beschwerde über den Parkausweis") == {"complaint": 1, "parking_application": 1}


@pytest.mark.parametrize(
    "terms",
    [
        ["Hund", "Hundesteuer", "*steuer", "Steuerbescheid"],  # overlapping, one inside words
        ["an den Absender", "*absender", "den"],  # several words; one term inside another
        ["Kita", "*kita", "Kita-Platz", "U3"],  # the same word both ways; a digit (folded to 0)
    ],
)
def test_terms_are_found_as_the_alternation_of_their_patterns_finds_them(terms):
    import re

    alternation = re.compile("|".join(sorted(map(training.term_pattern, terms), key=len)[::-1]))
    finder = training.TermFinder(terms)
    texts = [
        "Hundesteuerbescheid für den Hund; Hundesteuer, Hundsteuer, Kfz-Steuerbescheid",
        "_hund Hund_steuer 0hund Großhundesteuer hundehundesteuer",
        "Zurück an den Absender: Absenderin, denen, an den Absenderabsender",
        "Kita-Platz im KiTa, U3-Kita; Großkita kitakita; u3 und U31",
        "",
        "hund",
    ]
    for text in texts:
        normalised = text_normalise(text)
        assert finder.findall(normalised) == alternation.findall(normalised), text


def test_a_model_saved_before_term_finders_counts_alike():
    # Models saved by an earlier version hold compiled patterns and no finders: they are made
    # when first needed.
    counts = training.TermCounts(dict(VOCABULARY.terms)).fit()
    text = "Widerspruch gegen den Hundesteuerbescheid; Bewohnerparkausweis, Rechnung"
    expected = counts.transform([text])
    loaded = pickle.loads(pickle.dumps(counts))  # noqa: S301 (made here)
    loaded.__dict__.pop("finders_", None)
    assert "finders_" not in vars(loaded)
    assert np.array_equal(loaded.transform([text]), expected)


def test_the_vocabulary_teaches_words_no_training_letter_used():
    items = letters(12, seed=1)
    texts, labels = [t for t, _l in items], [label for _t, label in items]
    assert not any("listenhund" in text.casefold() for text in texts)
    letter = "Sehr geehrte Damen und Herren,\nunser Listenhund.\nMit freundlichen Grüßen"

    alone = training.fit(texts=texts, labels=labels)
    taught = training.fit(texts=texts, labels=labels, vocabulary=VOCABULARY)

    before = training.predict(pipeline=alone.pipeline, threshold=alone.threshold, texts=[letter])
    after = training.predict(pipeline=taught.pipeline, threshold=taught.threshold, texts=[letter])
    assert before[0].label != "dog_tax" or before[0].probability < 0.5
    assert after[0].label == "dog_tax" and after[0].probability > before[0].probability
    assert taught.vocabulary == {label: len(t) for label, t in VOCABULARY.terms.items()}


def test_a_label_of_any_topic_learns_its_terms_mixed_with_other_labels_terms():
    texts, labels = training.pseudo_letters(VOCABULARY, ["complaint", "dog_tax"])

    by_label = {
        label: [t for t, lab in zip(texts, labels, strict=True) if lab == label] for label in labels
    }
    assert len(by_label["dog_tax"]) == training.PSEUDO_LETTERS
    assert len(by_label["complaint"]) == 2 * training.PSEUDO_LETTERS
    own = {"Beschwerde", "Zumutung"}
    assert all(
        set(text.split()) <= {"Hundesteuer", "Listenhund", "Hundehalter"}
        for text in by_label["dog_tax"]
    )
    mixed = [text for text in by_label["complaint"] if set(text.split()) - own]
    assert len(mixed) == training.PSEUDO_LETTERS
    assert all(set(text.split()) & own for text in mixed)  # always one of its own terms
    # ... mixed with the words of what the city does, not of mail that belongs to no one.
    assert not any({"Gewinnspiel", "Newsletter"} & set(text.split()) for text in mixed)
    # The same vocabulary gives the same examples.
    assert training.pseudo_letters(VOCABULARY, ["complaint", "dog_tax"]) == (texts, labels)


def test_a_vocabulary_is_kept_in_order_without_empty_terms():
    vocabulary = training.Vocabulary.of(
        {"b": ["  Zwei ", "eins", "eins", "", "*", "  "], "a": ["x"], "c": []},
        any_topic=["a", "c", "unknown"],
    )
    assert vocabulary.terms == {"a": ("x",), "b": ("Zwei", "eins")}
    assert vocabulary.any_topic == ("a",)
    assert vocabulary.only(["b"]).terms == {"b": ("Zwei", "eins")}
    assert not training.Vocabulary.of({"c": []}) and training.Vocabulary().digest() == ""
    same = training.Vocabulary.of({"a": ["x"], "b": ["eins", "Zwei"]}, any_topic=["a"])
    assert same.digest() == vocabulary.digest()
    assert training.Vocabulary.of(same.terms).digest() != same.digest()  # any_topic counts


def test_a_model_with_a_vocabulary_holds_its_terms_and_no_words_of_the_letters():
    items = letters(10, seed=1)
    fitted = training.fit(
        texts=[t for t, _l in items], labels=[label for _t, label in items], vocabulary=VOCABULARY
    )
    raw = pickle.dumps(fitted.pipeline)
    assert b"Listenhund" in raw  # the department's words, not the letters'
    for word in ("Yilmaz", "yilmaz", "Luisenstraße", "luisenstraße", "Wuppertal", "wuppertal"):
        assert word.encode() not in raw
    probabilities = fitted.pipeline.predict_proba([items[0][0], items[1][0]])
    assert np.allclose(probabilities.sum(axis=1), 1.0)


LETTER = """Erika Muster
Beispielweg 1
42103 Wuppertal

12.3.2026

{subject}

{salutation},

{body}

Mit freundlichen Grüßen
Erika Muster"""


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        # DIN 5008: the block just above the salutation, reference lines and all.
        (
            LETTER.format(
                subject="Bewohnerparkausweis\nIhr Zeichen: 104-77",
                salutation="Sehr geehrte Damen und Herren",
                body="Beschwerde über die Wartezeit.",
            ),
            "Bewohnerparkausweis\nIhr Zeichen: 104-77",
        ),
        (
            LETTER.format(subject="Abmeldung", salutation="Guten Tag", body="Hund verstorben."),
            "Abmeldung",
        ),
        # An e-mail's subject field, wherever the salutation is.
        ("Von: a@example.org\nBetreff: Rechnung 4711\n\nHallo,\nanbei.", "Rechnung 4711"),
        ("Betr.:  Widerspruch\nSehr geehrte Frau Muster,", "Widerspruch"),
        # A form or a note without salutation has no subject; an empty subject field neither.
        ("Anmeldung Kindertageseinrichtung\n\nName: Muster", ""),
        ("Betreff:\nSehr geehrte Damen und Herren,", ""),
        ("Sehr geehrte Damen und Herren,\nich ziehe um.", ""),
        # A closing is not a salutation: the paragraph above it is not a subject.
        ("Unser Hund ist weg.\n\nLiebe Grüße\nErika", ""),
        ("Kita\n\nLiebe Frau Muster,\nanbei.\n\nLiebe Grüße", "Kita"),
    ],
)
def test_the_subject_of_a_letter_is_what_it_says_it_is_about(text, subject):
    assert training.subject_line(text) == subject


# A parking application addressed to the office "Anregungen und Beschwerden".
TO_THE_COMPLAINTS_OFFICE = LETTER.format(
    subject="Bewohnerparkausweis", salutation="Guten Tag", body="Ich beantrage einen."
).replace("12.3.2026", "Stadt Wuppertal\nAnregungen und Beschwerden\n\n12.3.2026")


def test_a_letter_is_its_head_above_the_subject_and_its_body_from_the_subject_on():
    text = TO_THE_COMPLAINTS_OFFICE

    head, body = training.letter_head(text), training.letter_body(text)
    assert head + body == text
    assert "Beschwerden" in head and "Bewohnerparkausweis" not in head
    assert body.startswith("Bewohnerparkausweis\n\nGuten Tag,")
    # An e-mail's head ends at its subject field; a form without a subject is all body.
    mail = "Von: a@example.org\nAn: beschwerden@stadt.example\nBetreff: Kita\n\nHallo,\nanbei."
    assert "beschwerden" in training.letter_head(mail)
    assert training.letter_body(mail).strip().startswith("Kita")
    form = "Anmeldung Kindertageseinrichtung\n\nName: Muster"
    assert training.letter_head(form) == "" and training.letter_body(form) == form


def test_the_vocabulary_model_counts_the_terms_of_the_addressee_apart():
    # "Anregungen und Beschwerden" is the name of an office: a parking application sent there
    # names a complaint term in its head, and none in its body.
    text = TO_THE_COMPLAINTS_OFFICE
    model = training.VocabularyFusion(terms=dict(VOCABULARY.terms))
    model.fit(
        [text, LETTER.format(subject="Beschwerde", salutation="Hallo", body="Lärm")] * 8,
        ["parking_application", "complaint"] * 8,
    )
    counts = model.term_model_.named_steps["terms"]
    parts = dict(counts.transformer_list)
    complaint = parts["head"].labels_.index("complaint")
    assert parts["head"].transform([text])[0][complaint] > 0
    assert parts["body"].transform([text])[0][complaint] == 0
    assert parts["subject"].transform([text])[0][complaint] == 0


def test_the_vocabulary_model_learns_that_the_subject_names_the_request():
    # Both kinds of letter use the same terms; only the subject tells a parking application
    # with a complaint in passing from a complaint about parking.
    def letter(subject, body, n):
        return LETTER.format(subject=subject, salutation="Guten Tag", body=f"{body} ({n})")

    texts, labels = [], []
    for n in range(12):
        texts.append(letter("Bewohnerparkausweis", "Eine Beschwerde habe ich auch.", n))
        labels.append("parking_application")
        texts.append(letter("Beschwerde", "Es geht um den Bewohnerparkausweis.", n))
        labels.append("complaint")
    model = training.VocabularyFusion(terms=dict(VOCABULARY.terms)).fit(texts, labels)

    asked = [
        letter("Antrag Bewohnerparkausweis", "Und eine Beschwerde.", 99),
        letter("Beschwerde Parkdruck", "Wegen Bewohnerparkausweis.", 99),
    ]
    terms_only = model.term_model_.predict_proba(asked)
    classes = list(model.term_model_.classes_)
    assert terms_only[0][classes.index("parking_application")] > 0.8
    assert terms_only[1][classes.index("complaint")] > 0.8


def test_what_a_letter_says_starts_below_its_subject_and_salutation():
    text = LETTER.format(
        subject="Hundesteuer",
        salutation="Sehr geehrte Damen und Herren",
        body="Unser Hund ist ver-\nstorben.",
    )
    said = training.letter_text(text)
    assert said.strip().startswith("Unser Hund ist verstorben.")  # hyphenation joined
    assert "Hundesteuer" not in said and "geehrte" not in said and "Muster" in said
    # An e-mail: below its subject field and its salutation; a form without either: all of it.
    mail = "Von: a@example.org\nBetreff: Kita\n\nHallo Frau Muster,\nanbei.\nGruß"
    assert training.letter_text(mail) == "anbei.\nGruß"
    form = "Anmeldung Kindertageseinrichtung\n\nName: Muster"
    assert training.letter_text(form) == form


def test_the_vocabulary_model_weighs_a_topic_by_the_sentences_that_name_it():
    shares = training.SentenceShares(dict(VOCABULARY.terms)).fit()
    labels = shares.labels_
    text = LETTER.format(
        subject="Beschwerde",  # the subject and the salutation are not sentences of the letter
        salutation="Guten Tag",
        body=(
            "Ihr Hundesteuer-\nbescheid kam nie an. Der Hundehalter nebenan hat seinen.\n"
            "Das ist eine Zumutung! Unser Listenhund ist trotzdem angemeldet."
        ),
    )
    # Four sentences (and the closing's two lines): three name dog tax, one a complaint.
    sentences = 6
    row = dict(zip(labels, shares.transform([text])[0], strict=True))
    assert row["dog_tax"] == pytest.approx(3 / sentences)
    assert row["complaint"] == pytest.approx(1 / sentences)
    assert row["parking_application"] == 0
    assert shares.transform([""]).tolist() == [[0.0] * len(labels)]


def test_sentence_dropout_copies_keep_the_blocks_of_a_letter():
    text = LETTER.format(
        subject="Abmeldung Hundesteuer",
        salutation="Sehr geehrte Damen und Herren",
        body="Unser Hund ist verstorben. Bitte melden Sie ihn ab. Die Marke liegt bei.",
    )
    texts, labels = training.augment([text, "Zu kurz."], ["dog_tax", "other"])

    assert texts[:2] == [text, "Zu kurz."] and labels[:2] == ["dog_tax", "other"]
    copies = texts[2:]
    assert len(copies) == training.AUGMENT_COPIES and set(labels[2:]) == {"dog_tax"}
    sentences = [s for b in text.split("\n\n") for s in training._SENTENCE_END.split(b) if s]
    for copy in copies:
        kept = [s for b in copy.split("\n\n") for s in b.split("\n")]
        assert kept == [s for s in sentences if s in kept]  # in order, nothing added
        assert len(kept) < len(sentences)
        # Blocks stay blocks: what a copy's subject is found to be lies within one block.
        subject = training.subject_line(copy).split("\n")
        assert any(set(subject) <= set(block.split("\n")) for block in text.split("\n\n"))
    assert training.augment([text], ["dog_tax"]) == training.augment([text], ["dog_tax"])
