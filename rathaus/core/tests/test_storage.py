import datetime
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from rathaus.core.storage import storage_sweep_orphans


@pytest.fixture
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def save(name: str, age_hours: float) -> str:
        stored = default_storage.save(name, ContentFile(b"x"))
        then = time.time() - age_hours * 3600
        os.utime(default_storage.path(stored), (then, then))
        return stored

    return save


def test_only_old_files_without_a_record_are_deleted(files):
    known = files("documents/2026/a.pdf", age_hours=48)
    orphan = files("documents/2026/11/b.pdf", age_hours=48)
    in_flight = files("documents/2026/c.pdf", age_hours=0.1)
    elsewhere = files("attachments/d.pdf", age_hours=48)
    assert storage_sweep_orphans(folder="documents", known={known}) == 1
    assert not default_storage.exists(orphan)
    for name in (known, in_flight, elsewhere):
        assert default_storage.exists(name)
    assert (
        storage_sweep_orphans(
            folder="documents", known={known}, older_than=datetime.timedelta(minutes=1)
        )
        == 1
    )
    assert not default_storage.exists(in_flight)


def test_a_missing_folder_is_nothing_to_sweep(files):
    assert storage_sweep_orphans(folder="nothing-here", known=set()) == 0
