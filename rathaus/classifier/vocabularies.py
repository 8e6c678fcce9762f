"""Vocabularies: the terms each label of a classifier is known by, kept by the app that owns
the classifier (for `intake`, the routing table `catalog/intake.yaml`).

An app registers a provider for its classifier's name when it starts (`AppConfig.ready`); the
classifier asks for the vocabulary whenever it trains, so a changed vocabulary makes a new model
on the next training run. A classifier without a provider learns from its examples alone.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from .training import Vocabulary

_providers: dict[str, Callable[[], Vocabulary]] = {}


class VocabularyError(Exception):
    """The vocabulary cannot be read; the message is translated and says why."""


def vocabulary_register(name: str, provider: Callable[[], Vocabulary]) -> None:
    """Let the classifier `name` learn the vocabulary that `provider()` returns."""
    _providers[name] = provider


def vocabulary_for(name: str) -> Vocabulary:
    """The vocabulary of the classifier `name`; empty without a provider.

    A provider whose source cannot be read (missing, not valid, not as its schema wants) raises
    ValueError or OSError with a message naming file and line; anything else is a defect and
    is not caught."""
    provider = _providers.get(name)
    if provider is None:
        return Vocabulary()
    try:
        return provider()
    except (ValueError, OSError) as exc:
        raise VocabularyError(
            _("The vocabulary of the classifier “%(name)s” cannot be read: %(error)s")
            % {"name": name, "error": exc}
        ) from exc
