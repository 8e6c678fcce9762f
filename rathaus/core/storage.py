"""Files in the Django storage that no record refers to any more."""

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone


def storage_sweep_orphans(
    *, folder: str, known: set[str], older_than: datetime.timedelta = datetime.timedelta(hours=6)
) -> int:
    """Delete files under `folder` that are not in `known` and older than `older_than`.

    Files are written before their row commits, so a crash can leave one behind, and a row
    deleted with its parent (a case past its retention period) leaves its file; the age limit
    keeps files of transactions still in flight.
    """
    cutoff = timezone.now() - older_than
    deleted = 0

    def walk(path: str) -> None:
        nonlocal deleted
        try:
            folders, files = default_storage.listdir(path)
        except FileNotFoundError:
            return
        for name in files:
            file_path = f"{path}/{name}"
            if file_path not in known and default_storage.get_modified_time(file_path) < cutoff:
                default_storage.delete(file_path)
                deleted += 1
        for sub in folders:
            walk(f"{path}/{sub}")

    walk(folder)
    return deleted
