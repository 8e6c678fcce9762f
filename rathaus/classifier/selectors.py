from django.db.models import QuerySet

from .models import ClassifierModel


def classifier_model_active(*, name: str) -> ClassifierModel | None:
    return ClassifierModel.objects.filter(name=name, is_active=True).first()


def classifier_models(*, name: str) -> QuerySet[ClassifierModel]:
    """Every model version of a classifier, newest first."""
    return ClassifierModel.objects.filter(name=name).order_by("-version")
