import pytest


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings
