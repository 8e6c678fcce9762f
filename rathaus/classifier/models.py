"""Named text classifiers: labelled examples, a frozen evaluation set and versioned models.

Retention (see docs/classifier.md): letters hold personal data. Staff corrections and imported
letters are kept `RATHAUS_CLASSIFIER_EXAMPLE_RETENTION_DAYS` (two years by default), generated
letters (nobody's data) as long as the classifier exists. A model file holds hashed n-gram
weights, no text; a model that is no longer active goes after
`RATHAUS_CLASSIFIER_MODEL_RETENTION_DAYS`. Evaluation sets never change and stay as long as the
classifier exists: build them from generated or anonymised letters.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Classifier(models.Model):
    """One row per classifier name: hands out model versions and serialises activation."""

    name = models.SlugField(_("name"), max_length=50, unique=True)
    last_version = models.PositiveIntegerField(_("last model version"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("classifier")
        verbose_name_plural = _("classifiers")

    def __str__(self) -> str:
        return self.name


class ExampleSource(models.TextChoices):
    GENERATED = "generated", _("generated")
    CORRECTION = "correction", _("staff correction")
    IMPORT = "import", _("imported")


class TrainingExample(models.Model):
    """A labelled text that models of the classifier `name` are trained on."""

    name = models.SlugField(_("classifier"), max_length=50)
    text = models.TextField(_("text"))
    # SHA-256 of the text with case and whitespace folded (training.text_hash).
    text_hash = models.CharField(_("text hash"), max_length=64)
    label = models.CharField(_("label"), max_length=50)
    source = models.CharField(_("source"), max_length=20, choices=ExampleSource.choices)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # Empty for generated letters, which hold nobody's data.
    delete_after = models.DateField(_("delete after"), null=True, blank=True)

    class Meta:
        verbose_name = _("training example")
        verbose_name_plural = _("training examples")
        constraints = [
            models.UniqueConstraint(fields=["name", "text_hash"], name="classifier_example_once")
        ]
        indexes = [models.Index(fields=["delete_after"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.label}"


class EvaluationSet(models.Model):
    """The frozen yardstick of a classifier: never trained on, never changed."""

    name = models.SlugField(_("classifier"), max_length=50, unique=True)
    # SHA-256 over the sorted (text hash, label) pairs.
    content_hash = models.CharField(_("content hash"), max_length=64, editable=False)
    size = models.PositiveIntegerField(_("size"), editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation set")
        verbose_name_plural = _("evaluation sets")

    def __str__(self) -> str:
        return f"{self.name} ({self.content_hash[:12]})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("An evaluation set is frozen; it cannot be changed.")
        super().save(*args, **kwargs)


class EvaluationExample(models.Model):
    evaluation_set = models.ForeignKey(
        EvaluationSet,
        on_delete=models.CASCADE,
        related_name="examples",
        verbose_name=_("evaluation set"),
    )
    text = models.TextField(_("text"), editable=False)
    text_hash = models.CharField(_("text hash"), max_length=64, editable=False)
    label = models.CharField(_("label"), max_length=50, editable=False)

    class Meta:
        verbose_name = _("evaluation example")
        verbose_name_plural = _("evaluation examples")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation_set", "text_hash"], name="classifier_evaluation_example_once"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("An evaluation set is frozen; it cannot be changed.")
        super().save(*args, **kwargs)


class Activation(models.TextChoices):
    """What was decided about a new model, and why (the figures are in its metrics)."""

    FIRST = "first", _("activated: there was no active model")
    NOT_WORSE = "not_worse", _("activated: not worse than the active model")
    WORSE = "worse", _("not activated: worse than the active model")
    FORCED = "forced", _("activated on request, without comparison")
    HELD = "held", _("not activated, on request")
    ROLLBACK = "rollback", _("activated again on request")


def _model_upload_to(instance: "ClassifierModel", filename: str) -> str:
    return f"classifier/{instance.name}/{filename}"


class ClassifierModel(models.Model):
    name = models.SlugField(_("classifier"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    training_size = models.PositiveIntegerField(_("training examples"))
    # SHA-256 of the training examples, evaluation set, library and method: training on the
    # same again gives this model back instead of a new version.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    # The pickled scikit-learn pipeline. Loaded only after its SHA-256 matches `sha256`.
    file = models.FileField(_("file"), upload_to=_model_upload_to, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    library_version = models.CharField(_("scikit-learn version"), max_length=20)
    evaluation_set = models.ForeignKey(
        EvaluationSet,
        on_delete=models.PROTECT,
        related_name="models",
        verbose_name=_("evaluation set"),
    )
    metrics = models.JSONField(_("metrics"), default=dict)
    threshold = models.FloatField(_("abstention threshold"))
    is_active = models.BooleanField(_("active"), default=False)
    activation = models.CharField(_("activation"), max_length=20, choices=Activation.choices)
    # The version the model was compared with, when it was.
    compared_with = models.PositiveIntegerField(_("compared with version"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    # When the model stopped being active, or was made without being activated.
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("classifier model")
        verbose_name_plural = _("classifier models")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="classifier_model_version"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(is_active=True),
                name="classifier_one_active_model",
            ),
            models.CheckConstraint(
                condition=models.Q(threshold__gte=0, threshold__lte=1),
                name="classifier_threshold_is_probability",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def macro_f1(self) -> float:
        return float(self.metrics.get("evaluation", {}).get("macro_f1", 0.0))

    @property
    def precision(self) -> float:
        """Precision of the letters routed on the evaluation set (not abstained on)."""
        return float(self.metrics.get("evaluation", {}).get("precision", 0.0))

    @property
    def coverage(self) -> float:
        return float(self.metrics.get("evaluation", {}).get("coverage", 0.0))

    def activation_reason(self) -> str:
        """Why the model was activated or not, with the figures compared."""
        compared = self.metrics.get("compared_with")
        if compared and self.activation in (Activation.NOT_WORSE, Activation.WORSE):
            figures = {
                "version": compared["version"],
                "f1": self.macro_f1,
                "old_f1": compared["macro_f1"],
                "precision": self.precision,
                "old_precision": compared["precision"],
            }
            if self.activation == Activation.NOT_WORSE:
                return (
                    _(
                        "Activated: macro-F1 %(f1).3f (version %(version)s: %(old_f1).3f) and "
                        "precision %(precision).3f (version %(version)s: %(old_precision).3f) are "
                        "not worse."
                    )
                    % figures
                )
            return (
                _(
                    "Not activated: macro-F1 %(f1).3f (version %(version)s: %(old_f1).3f) or "
                    "precision %(precision).3f (version %(version)s: %(old_precision).3f) is "
                    "worse; version %(version)s stays active."
                )
                % figures
            )
        return str(self.get_activation_display()).capitalize() + "."
