import pytest


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


@pytest.fixture(autouse=True)
def _english_messages(english):
    """These tests assert the (English) source wording of the command output."""
