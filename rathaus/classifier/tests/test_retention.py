import datetime
import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from rathaus.classifier.models import ClassifierModel, TrainingExample
from rathaus.classifier.services import (
    classifier_models_purge_expired,
    classifier_orphans_purge,
    classifier_train,
    training_example_add,
    training_examples_purge_expired,
)

from .conftest import NAME
from .letters import letters

pytestmark = pytest.mark.django_db


def test_corrections_and_imports_are_kept_two_years_generated_letters_for_good(settings):
    assert settings.RATHAUS_CLASSIFIER_EXAMPLE_RETENTION_DAYS == 730
    today = timezone.localdate()
    correction = training_example_add(
        name=NAME, text="Brief A", label="dog_tax", source="correction"
    )
    imported = training_example_add(name=NAME, text="Brief B", label="dog_tax", source="import")
    generated = training_example_add(name=NAME, text="Brief C", label="dog_tax", source="generated")
    assert correction.delete_after == today + datetime.timedelta(days=730)
    assert imported.delete_after == today + datetime.timedelta(days=730)
    assert generated.delete_after is None


def test_the_daily_purge_deletes_expired_corrections_only():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    old = training_example_add(name=NAME, text="Alter Brief", label="dog_tax", source="correction")
    recent = training_example_add(
        name=NAME, text="Neuer Brief", label="dog_tax", source="correction"
    )
    generated = training_example_add(
        name=NAME, text="Erfunden", label="dog_tax", source="generated"
    )
    TrainingExample.objects.filter(pk=old.pk).update(delete_after=yesterday)
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert "classifier.examples: 1 deleted" in out.getvalue()
    assert set(TrainingExample.objects.values_list("pk", flat=True)) == {recent.pk, generated.pk}
    assert training_examples_purge_expired() == 0


def test_a_correction_of_an_expiring_example_keeps_it_two_more_years():
    example = training_example_add(name=NAME, text="Brief", label="complaint", source="import")
    TrainingExample.objects.filter(pk=example.pk).update(
        delete_after=timezone.localdate() + datetime.timedelta(days=3)
    )
    again = training_example_add(name=NAME, text="Brief", label="complaint", source="correction")
    assert again.delete_after == timezone.localdate() + datetime.timedelta(days=730)


def test_models_no_longer_active_go_with_their_files_after_the_retention_period(
    evaluation_set, settings
):
    for text, label in letters(10, seed=1):
        training_example_add(name=NAME, text=text, label=label, source="generated")
    first = classifier_train(name=NAME)
    training_example_add(name=NAME, text="Noch ein Hund", label="dog_tax", source="generated")
    second = classifier_train(name=NAME, activate="always")
    training_example_add(name=NAME, text="Noch ein Dackel", label="dog_tax", source="generated")
    held = classifier_train(name=NAME, activate="never")
    storage = ClassifierModel.file.field.storage
    long_ago = timezone.now() - datetime.timedelta(
        days=settings.RATHAUS_CLASSIFIER_MODEL_RETENTION_DAYS + 1
    )
    ClassifierModel.objects.filter(pk=first.pk).update(retired_at=long_ago)
    # Active models are never deleted, however old.
    ClassifierModel.objects.filter(pk=second.pk).update(created=long_ago)

    assert classifier_models_purge_expired() == 1
    assert set(ClassifierModel.objects.values_list("version", flat=True)) == {2, 3}
    assert not storage.exists(first.file.name)
    assert storage.exists(second.file.name) and storage.exists(held.file.name)


def test_a_model_file_without_a_model_is_swept(trained):
    storage = ClassifierModel.file.field.storage
    orphan = storage.save(f"classifier/{NAME}/v9-deadbeef.joblib", ContentFile(b"left behind"))
    assert classifier_orphans_purge() == 0  # too young: its transaction may still commit
    old = time.time() - 7 * 3600
    os.utime(storage.path(orphan), (old, old))
    os.utime(storage.path(trained.file.name), (old, old))
    assert classifier_orphans_purge() == 1
    assert not storage.exists(orphan)
    assert storage.exists(trained.file.name)


def test_calling_a_known_letter_generated_does_not_keep_it_for_good():
    example = training_example_add(name=NAME, text="Brief", label="complaint", source="import")
    again = training_example_add(name=NAME, text="Brief", label="complaint", source="generated")
    assert again.delete_after == example.delete_after is not None
