import pytest


@pytest.fixture(autouse=True)
def _english_messages(english):
    """These tests assert the (English) source wording of messages and command output."""
