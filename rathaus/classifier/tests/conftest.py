import pytest

from rathaus.classifier import services, training, vocabularies

from .letters import letters

NAME = "intake"


@pytest.fixture(autouse=True)
def _fresh_model_cache():
    """The per-process model cache would outlive a test's rolled-back database."""
    services.classifier_cache_clear()
    yield
    services.classifier_cache_clear()


@pytest.fixture(autouse=True)
def _letters_alone(monkeypatch):
    """The classifier's own tests learn from their letters alone (the intake app gives the
    classifier of this name its routing table's vocabulary); tests of vocabularies set one."""
    monkeypatch.setitem(vocabularies._providers, NAME, training.Vocabulary)


@pytest.fixture
def evaluation_set(db):
    return services.evaluation_set_freeze(name=NAME, examples=letters(12, seed=2))


@pytest.fixture
def add_examples(db):
    def add(items, *, name=NAME, source="generated"):
        return [
            services.training_example_add(name=name, text=text, label=label, source=source)
            for text, label in items
        ]

    return add


@pytest.fixture
def trained(evaluation_set, add_examples):
    """Version 1 of "intake", active, trained on 30 noisy letters of each of five labels."""
    add_examples(letters(30, seed=1))
    return services.classifier_train(name=NAME)
