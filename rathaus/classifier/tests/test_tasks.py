import pytest
from django_tasks import TaskResultStatus

from rathaus.classifier.models import ClassifierModel
from rathaus.classifier.tasks import classifier_train_task

from .conftest import NAME
from .letters import letters

pytestmark = pytest.mark.django_db


def test_the_training_task_trains_and_activates_a_model(evaluation_set, add_examples):
    add_examples(letters(10, seed=1))
    result = classifier_train_task.enqueue(NAME)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"version": 1, "active": True, "activation": "first"}
    assert ClassifierModel.objects.get(name=NAME).is_active


def test_running_the_task_again_on_the_same_examples_changes_nothing(trained):
    result = classifier_train_task.enqueue(NAME)
    assert result.return_value["version"] == trained.version
    assert ClassifierModel.objects.count() == 1


def test_the_task_fails_without_an_evaluation_set(add_examples):
    add_examples(letters(10, seed=1))
    result = classifier_train_task.enqueue(NAME)
    assert result.status == TaskResultStatus.FAILED
    assert not ClassifierModel.objects.exists()
