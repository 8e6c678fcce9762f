"""Named text classifiers: examples in, versioned models out, predictions with abstention.

A model file is a pickle, and unpickling runs code. Trust assumption: only files this service
wrote are ever loaded. Their SHA-256 is recorded in the database when they are saved and checked
before every load; a file that does not match (changed in the storage, damaged, swapped) is
refused, never unpickled. Whoever can write both the storage and the database can run code in
the workers anyway.
"""

import hashlib
import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core.retention import register_purger

from . import training
from .models import (
    Activation,
    Classifier,
    ClassifierModel,
    EvaluationExample,
    EvaluationSet,
    ExampleSource,
    TrainingExample,
)
from .vocabularies import VocabularyError, vocabulary_for

logger = logging.getLogger(__name__)

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
LABEL_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
# A few hundred pages of text: anything longer is not one letter.
MAX_TEXT_LENGTH = 500_000
ACTIVATE_CHOICES = ("always", "if_not_worse", "never")


class ClassifierError(Exception):
    """A request the classifier cannot carry out; the message is translated."""

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class NoActiveModel(ClassifierError):
    """There is no model to classify with: the caller sends the letter to triage."""


class ModelUnusable(NoActiveModel):
    """The active model's file is missing, changed or made by another library version."""


@dataclass(frozen=True)
class Prediction:
    label: str  # the best label, even when abstaining
    probability: float  # calibrated probability of that label
    abstained: bool  # probability below the model's threshold (or label "other")
    model_version: int
    ranking: tuple[tuple[str, float], ...]  # top 3 labels with probabilities


# --- Examples and the evaluation set --------------------------------------------------------


def _name_check(name: str) -> None:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ClassifierError(
            _(
                "“%(name)s” is not a classifier name: use lower-case letters, digits, - and _ "
                "(50 at most)."
            )
            % {"name": name},
            code="name",
        )


def _example_check(*, text: str, label: str) -> None:
    if not isinstance(label, str) or not LABEL_RE.match(label):
        raise ClassifierError(
            _("“%(label)s” is not a label: use lower-case letters, digits, - and _ (50 at most).")
            % {"label": label},
            code="label",
        )
    if not isinstance(text, str) or not text.strip():
        raise ClassifierError(_("The text is empty."), code="empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise ClassifierError(
            _("The text is longer than %(limit)d characters.") % {"limit": MAX_TEXT_LENGTH},
            code="too_long",
        )


def _delete_after(source: str):
    """Generated letters are nobody's data; every other text may hold personal data."""
    if source == ExampleSource.GENERATED:
        return None
    return timezone.localdate() + timedelta(days=settings.RATHAUS_CLASSIFIER_EXAMPLE_RETENTION_DAYS)


@transaction.atomic
def training_example_add(*, name: str, text: str, label: str, source: str) -> TrainingExample:
    """Add a labelled text; the same text again is the same example.

    A staff correction relabels a text already known; any other source with a different label
    for a known text is refused, since one of the two labels is wrong.
    """
    _name_check(name)
    _example_check(text=text, label=label)
    if source not in ExampleSource.values:
        raise ClassifierError(
            _("“%(source)s” is not a source of examples.") % {"source": source}, code="source"
        )
    digest = training.text_hash(text)
    delete_after = _delete_after(source)
    known = TrainingExample.objects.select_for_update().filter(name=name, text_hash=digest)
    example = known.first()
    if example is None:
        try:
            with transaction.atomic():
                return TrainingExample.objects.create(
                    name=name,
                    text=text,
                    text_hash=digest,
                    label=label,
                    source=source,
                    delete_after=delete_after,
                )
        except IntegrityError:
            example = known.get()  # added by another request in the meantime
    if example.label != label:
        if source != ExampleSource.CORRECTION:
            raise ClassifierError(
                _("This text is already an example labelled “%(label)s”.")
                % {"label": example.label},
                code="conflict",
            )
        example.label = label
        example.source = source
        example.delete_after = delete_after
    elif example.delete_after is not None and delete_after is not None:
        # Confirmed again: kept from now on. (Calling a known text "generated" does not make
        # a letter that may hold personal data permanent.)
        example.delete_after = max(example.delete_after, delete_after)
    example.save(update_fields=["label", "source", "delete_after"])
    return example


def _content_hash(pairs: Iterable[tuple[str, str]]) -> str:
    lines = sorted(f"{digest}\t{label}" for digest, label in pairs)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@transaction.atomic
def evaluation_set_freeze(*, name: str, examples: list[tuple[str, str]]) -> EvaluationSet:
    """Freeze the evaluation set of a classifier from (text, label) pairs.

    Freezing the same content again returns the set; other content is refused: every model of
    the classifier is measured on the same letters. A text given twice counts once.
    """
    _name_check(name)
    unique: dict[str, tuple[str, str]] = {}
    for text, label in examples:
        _example_check(text=text, label=label)
        digest = training.text_hash(text)
        known = unique.setdefault(digest, (text, label))
        if known[1] != label:
            raise ClassifierError(
                _("A text is in the set twice, labelled “%(first)s” and “%(second)s”.")
                % {"first": known[1], "second": label},
                code="conflict",
            )
    if len({label for _text, label in unique.values()}) < 2:
        raise ClassifierError(
            _("An evaluation set needs letters of at least two labels."), code="too_small"
        )
    content_hash = _content_hash((digest, label) for digest, (_t, label) in unique.items())
    _classifier_locked(name)
    existing = EvaluationSet.objects.filter(name=name).first()
    if existing is not None:
        if existing.content_hash == content_hash:
            return existing
        raise ClassifierError(
            _(
                "The classifier “%(name)s” already has a frozen evaluation set of %(size)d "
                "letters (%(hash)s); it never changes."
            )
            % {"name": name, "size": existing.size, "hash": existing.content_hash[:12]},
            code="frozen",
        )
    frozen = EvaluationSet.objects.create(name=name, content_hash=content_hash, size=len(unique))
    EvaluationExample.objects.bulk_create(
        EvaluationExample(evaluation_set=frozen, text=text, text_hash=digest, label=label)
        for digest, (text, label) in sorted(unique.items())
    )
    logger.info("classifier %s: evaluation set of %s letters frozen", name, len(unique))
    return frozen


# --- Training and activation -----------------------------------------------------------------


def _fingerprint(
    *, pairs: list[tuple[str, str]], evaluation: EvaluationSet, vocabulary: training.Vocabulary
) -> str:
    parts = [
        _content_hash(pairs),
        evaluation.content_hash,
        training.library_version(),
        str(training.METHOD_VERSION),
    ]
    if vocabulary:  # models trained without a vocabulary keep their fingerprints
        parts.append(vocabulary.digest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _training_data(*, name: str, evaluation: EvaluationSet) -> tuple[list, int]:
    """(text, label, text hash) of every example to train on, in a fixed order, and how many
    examples were left out as letters of the evaluation set."""
    held_out = set(evaluation.examples.values_list("text_hash", flat=True))
    rows = (
        TrainingExample.objects.filter(name=name)
        .order_by("text_hash")
        .values_list("text", "label", "text_hash")
    )
    examples = [row for row in rows if row[2] not in held_out]
    # The stored hashes decide the exclusion; hash the texts again so that a stored hash that
    # went wrong cannot leak an evaluation letter into training.
    evaluation_texts = evaluation.examples.values_list("text", flat=True)
    leaked = {training.text_hash(text) for text, _l, _h in examples} & {
        training.text_hash(text) for text in evaluation_texts
    }
    if leaked:
        raise RuntimeError(f"{len(leaked)} evaluation letters would be trained on")
    return examples, len(rows) - len(examples)


def _classifier_locked(name: str) -> Classifier:
    Classifier.objects.get_or_create(name=name)
    return Classifier.objects.select_for_update().get(name=name)


def _decide(*, new: ClassifierModel, active: ClassifierModel | None, activate: str) -> str:
    if activate == "never":
        return Activation.HELD
    if activate == "always":
        return Activation.FORCED
    if active is None:
        return Activation.FIRST
    # The same frozen set measured both (one set per classifier, protected from deletion).
    if new.macro_f1 >= active.macro_f1 and new.precision >= active.precision:
        return Activation.NOT_WORSE
    return Activation.WORSE


ACTIVATING = {Activation.FIRST, Activation.NOT_WORSE, Activation.FORCED, Activation.ROLLBACK}


def _switch(*, name: str, to: ClassifierModel, decision: str) -> None:
    """Make `to` the active model (inside a transaction holding the classifier's lock)."""
    now = timezone.now()
    ClassifierModel.objects.filter(name=name, is_active=True).exclude(pk=to.pk).update(
        is_active=False, retired_at=now
    )
    to.is_active = True
    to.activation = decision
    to.activated_at = now
    to.retired_at = None
    to.save()
    transaction.on_commit(lambda: _cache.pop(name, None))


def _trained_before(*, name: str, fingerprint: str, activate: str) -> ClassifierModel | None:
    """The model already trained on these very examples, activated if `activate` is always
    (inside a transaction holding the classifier's lock)."""
    same = ClassifierModel.objects.filter(name=name, fingerprint=fingerprint).first()
    if same is not None and activate == "always" and not same.is_active:
        _switch(name=name, to=same, decision=Activation.FORCED)
    return same


def classifier_train(*, name: str, activate: str = "if_not_worse") -> ClassifierModel:
    """Train a new model version on every example, measure it on the frozen evaluation set and
    activate it by the rule `activate`: always, never, or if_not_worse (no active model yet,
    or macro-F1 and routed precision each at least the active model's).

    Training on unchanged examples returns the newest model of them instead of a new version.
    """
    _name_check(name)
    if activate not in ACTIVATE_CHOICES:
        raise ClassifierError(
            _("Activation must be one of: %(choices)s.") % {"choices": ", ".join(ACTIVATE_CHOICES)},
            code="activate",
        )
    evaluation = EvaluationSet.objects.filter(name=name).first()
    if evaluation is None:
        raise ClassifierError(
            _(
                "The classifier “%(name)s” has no frozen evaluation set to measure a model on: "
                "import one first (manage.py classifier_import %(name)s FILE --as evaluation)."
            )
            % {"name": name},
            code="no_evaluation_set",
        )
    examples, excluded = _training_data(name=name, evaluation=evaluation)
    try:
        vocabulary = vocabulary_for(name)
    except VocabularyError as exc:
        raise ClassifierError(str(exc), code="vocabulary") from exc
    fingerprint = _fingerprint(
        pairs=[(digest, label) for _t, label, digest in examples],
        evaluation=evaluation,
        vocabulary=vocabulary,
    )
    if ClassifierModel.objects.filter(name=name, fingerprint=fingerprint).exists():
        with transaction.atomic():
            _classifier_locked(name)
            return _trained_before(name=name, fingerprint=fingerprint, activate=activate)

    started = time.monotonic()
    try:
        fitted = training.fit(
            texts=[text for text, _l, _h in examples],
            labels=[label for _t, label, _h in examples],
            vocabulary=vocabulary,
        )
    except training.TrainingDataError as exc:
        raise ClassifierError(
            _(
                "Not enough examples to train “%(name)s”: at least two labels need "
                "%(needed)d examples each."
            )
            % {"name": name, "needed": training.MIN_EXAMPLES_PER_LABEL},
            code=exc.code,
        ) from exc
    seconds = time.monotonic() - started
    evaluation_rows = list(evaluation.examples.order_by("pk").values_list("text", "label"))
    result = training.evaluate(
        pipeline=fitted.pipeline,
        threshold=fitted.threshold,
        texts=[t for t, _label in evaluation_rows],
        labels=[label for _t, label in evaluation_rows],
    )
    data = training.pipeline_dumps(fitted.pipeline)
    digest = hashlib.sha256(data).hexdigest()
    metrics = {
        "evaluation": result,
        "holdout": fitted.holdout.as_dict(),
        "training": {
            "examples": fitted.size,
            "labels": fitted.labels,
            "left_out_labels": fitted.left_out,
            "vocabulary_terms": fitted.vocabulary,
            "excluded_evaluation_letters": excluded,
            "seconds": round(seconds, 2),
            "file_bytes": len(data),
        },
    }

    saved_file = None
    try:
        with transaction.atomic():
            classifier = _classifier_locked(name)
            # Another worker may have trained on the same examples meanwhile: theirs stands.
            same = _trained_before(name=name, fingerprint=fingerprint, activate=activate)
            if same is not None:
                return same
            classifier.last_version += 1
            classifier.save(update_fields=["last_version"])
            model = ClassifierModel(
                name=name,
                version=classifier.last_version,
                training_size=fitted.size,
                fingerprint=fingerprint,
                sha256=digest,
                library_version=training.library_version(),
                evaluation_set=evaluation,
                metrics=metrics,
                threshold=fitted.threshold,
            )
            model.file.save(f"v{model.version}-{digest[:12]}.joblib", ContentFile(data), save=False)
            saved_file = model.file.name
            active = (
                ClassifierModel.objects.select_for_update()
                .filter(name=name, is_active=True)
                .first()
            )
            decision = _decide(new=model, active=active, activate=activate)
            if active is not None and activate == "if_not_worse":
                model.compared_with = active.version
                model.metrics["compared_with"] = {
                    "version": active.version,
                    "macro_f1": active.macro_f1,
                    "precision": active.precision,
                    "coverage": active.coverage,
                }
            model.activation = decision
            if decision in ACTIVATING:
                _switch(name=name, to=model, decision=decision)
            else:
                model.retired_at = timezone.now()
                model.save()
    except BaseException:
        if saved_file:
            ClassifierModel.file.field.storage.delete(saved_file)
        raise
    logger.info(
        "classifier %s: model v%s trained on %s examples in %.1f s, macro-F1 %.4f, "
        "precision %.4f at coverage %.4f: %s",
        name,
        model.version,
        fitted.size,
        seconds,
        model.macro_f1,
        model.precision,
        model.coverage,
        model.activation,
    )
    return model


@transaction.atomic
def classifier_model_activate(*, name: str, version: int) -> ClassifierModel:
    """Make an earlier version active again (a rollback), once its file checks out."""
    _classifier_locked(name)
    model = ClassifierModel.objects.select_for_update().filter(name=name, version=version).first()
    if model is None:
        raise ClassifierError(
            _("The classifier “%(name)s” has no model version %(version)s.")
            % {"name": name, "version": version},
            code="unknown_version",
        )
    classifier_model_load(model=model)
    if not model.is_active:
        _switch(name=name, to=model, decision=Activation.ROLLBACK)
    return model


def classifier_model_load(*, model: ClassifierModel):
    """The fitted pipeline of `model`, after its file matched the recorded SHA-256."""
    storage = ClassifierModel.file.field.storage
    try:
        with storage.open(model.file.name, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        logger.error("classifier %s: the file of model v%s is missing", model.name, model.version)
        raise ModelUnusable(
            _("The file of model %(model)s is missing.") % {"model": model}, code="missing"
        ) from exc
    if hashlib.sha256(data).hexdigest() != model.sha256:
        logger.error(
            "classifier %s: the file of model v%s does not match its checksum; not loaded",
            model.name,
            model.version,
        )
        raise ModelUnusable(
            _(
                "The file of model %(model)s does not match the checksum recorded when it was "
                "saved: it was changed or damaged and is not loaded. Activate another version "
                "or train a new one."
            )
            % {"model": model},
            code="checksum",
        )
    if model.library_version != training.library_version():
        raise ModelUnusable(
            _(
                "Model %(model)s was made with scikit-learn %(made)s, but %(installed)s is "
                "installed: train a new one (manage.py classifier_train %(name)s)."
            )
            % {
                "model": model,
                "made": model.library_version,
                "installed": training.library_version(),
                "name": model.name,
            },
            code="library_version",
        )
    return training.pipeline_loads(data)


# --- Classifying ------------------------------------------------------------------------------


@dataclass
class _Loaded:
    pk: int
    sha256: str
    version: int
    threshold: float
    pipeline: object
    checked_at: float


# The active model of each classifier, loaded once per process. Another process may activate a
# newer one: the active version is looked up again (one indexed query) at most every
# RATHAUS_CLASSIFIER_CHECK_SECONDS.
_cache: dict[str, _Loaded] = {}
_load_lock = threading.Lock()


def classifier_cache_clear() -> None:
    _cache.clear()


def _active_loaded(name: str) -> _Loaded:
    now = time.monotonic()
    loaded = _cache.get(name)
    if loaded is not None and now - loaded.checked_at < settings.RATHAUS_CLASSIFIER_CHECK_SECONDS:
        return loaded
    row = (
        ClassifierModel.objects.filter(name=name, is_active=True)
        .values_list("pk", "sha256")
        .first()
    )
    if row is None:
        _cache.pop(name, None)
        raise NoActiveModel(
            _("The classifier “%(name)s” has no active model.") % {"name": name},
            code="no_active_model",
        )
    if loaded is not None and (loaded.pk, loaded.sha256) == row:
        loaded.checked_at = now
        return loaded
    with _load_lock:
        loaded = _cache.get(name)
        if loaded is None or (loaded.pk, loaded.sha256) != row:
            model = ClassifierModel.objects.get(pk=row[0])
            loaded = _Loaded(
                pk=model.pk,
                sha256=model.sha256,
                version=model.version,
                threshold=model.threshold,
                pipeline=classifier_model_load(model=model),
                checked_at=now,
            )
            _cache[name] = loaded
            logger.info("classifier %s: model v%s loaded", name, model.version)
    return loaded


def classify(*, name: str, text: str) -> Prediction:
    """The document type of a text by the active model, and whether to abstain (triage)."""
    loaded = _active_loaded(name)
    outcome = training.predict(pipeline=loaded.pipeline, threshold=loaded.threshold, texts=[text])[
        0
    ]
    return Prediction(
        label=outcome.label,
        probability=outcome.probability,
        abstained=outcome.abstained,
        model_version=loaded.version,
        ranking=outcome.ranking,
    )


# --- Retention --------------------------------------------------------------------------------


@register_purger(
    name="classifier.examples",
    description="classifier examples that may hold personal data (corrections, imports)",
)
def training_examples_purge_expired() -> int:
    deleted, _by_model = TrainingExample.objects.filter(
        delete_after__lt=timezone.localdate()
    ).delete()
    return deleted


@register_purger(name="classifier.models", description="classifier models no longer active")
def classifier_models_purge_expired() -> int:
    cutoff = timezone.now() - timedelta(days=settings.RATHAUS_CLASSIFIER_MODEL_RETENTION_DAYS)
    storage = ClassifierModel.file.field.storage
    deleted = 0
    for model in ClassifierModel.objects.filter(is_active=False, retired_at__lt=cutoff):
        name = model.file.name
        model.delete()
        storage.delete(name)
        deleted += 1
    return deleted


@register_purger(name="classifier.orphans", description="model files without a model")
def classifier_orphans_purge() -> int:
    """A worker that died between writing a model file and committing leaves the file."""
    from rathaus.core.storage import storage_sweep_orphans

    known = set(ClassifierModel.objects.values_list("file", flat=True))
    return storage_sweep_orphans(folder="classifier", known=known)
