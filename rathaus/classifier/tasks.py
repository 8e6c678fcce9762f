from django_tasks import task

from . import services


@task()
def classifier_train_task(name: str) -> dict:
    """Train a new model of the classifier `name`; activated if not worse than the active one.

    Idempotent: with unchanged examples it returns the model trained on them before.
    """
    model = services.classifier_train(name=name)
    return {"version": model.version, "active": model.is_active, "activation": model.activation}
