"""The drop folder of the scan street, polled by `manage.py intake_watch`.

    <drop>/                  the scan street writes here
    <drop>/processing/       claimed by a watcher (renamed: only one watcher wins a file)
    <drop>/processed/<day>/  stored (or recognised as a duplicate); removed after
                             RATHAUS_INTAKE_DROP_KEEP_DAYS
    <drop>/rejected/         refused at the door (too large), with a .reason.txt beside it

A file is always in exactly one of these places (a rename is atomic), and leaves processing/
only after its receipt is committed. A watcher that crashed leaves the file in processing/; the
next poll stores it again under the same receipt key, which the database recognises, so the file
is counted once.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import Channel
from .services import IntakeRefused, intake_receive, max_bytes

logger = logging.getLogger(__name__)

PROCESSING, PROCESSED, REJECTED = "processing", "processed", "rejected"
# Names a scanner uses while it is still writing a file.
UNFINISHED_SUFFIXES = (".part", ".tmp", ".crdownload", "~")
# A claimed file left in processing/ this long belongs to a watcher that died.
ABANDONED_AFTER = datetime.timedelta(minutes=10)
_SEPARATOR = "--"


@dataclass
class PollReport:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0

    def __bool__(self) -> bool:
        return bool(self.stored or self.duplicates or self.rejected)


class DropFolder:
    def __init__(self, root: Path | str, *, settle_seconds: float = 5.0):
        self.root = Path(root)
        self.settle_seconds = settle_seconds
        for sub in (PROCESSING, PROCESSED, REJECTED):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    def poll(self) -> PollReport:
        """Store everything that has arrived (and what a crashed watcher left behind)."""
        report = PollReport()
        for claimed in self._abandoned():
            self._ingest(claimed, report)
        for path in self._arrived():
            claimed = self._claim(path)
            if claimed is not None:
                self._ingest(claimed, report)
        return report

    def _arrived(self) -> list[Path]:
        now = time.time()
        found = []
        with os.scandir(self.root) as entries:
            for entry in entries:
                if not entry.is_file(follow_symlinks=False) or entry.name.startswith("."):
                    continue
                if entry.name.endswith(UNFINISHED_SUFFIXES):
                    continue
                # A file still growing is left for the next poll.
                if now - entry.stat().st_mtime < self.settle_seconds:
                    continue
                found.append(Path(entry.path))
        return sorted(found)

    def _abandoned(self) -> list[Path]:
        cutoff = time.time() - ABANDONED_AFTER.total_seconds()
        folder = self.root / PROCESSING
        return sorted(p for p in folder.iterdir() if p.is_file() and p.stat().st_mtime < cutoff)

    def _claim(self, path: Path) -> Path | None:
        target = self.root / PROCESSING / f"{uuid.uuid4().hex}{_SEPARATOR}{path.name}"
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None  # another watcher was quicker
        os.utime(target)  # the claim's time, for _abandoned
        return target

    def _ingest(self, claimed: Path, report: PollReport) -> None:
        claim, _sep, name = claimed.name.partition(_SEPARATOR)
        try:
            size = claimed.stat().st_size
        except FileNotFoundError:
            return  # another watcher finished it
        if size > max_bytes():
            self._move(claimed, self.root / REJECTED / name)
            (self.root / REJECTED / f"{name}.reason.txt").write_text(
                f"Larger than RATHAUS_INTAKE_MAX_MB ({settings.RATHAUS_INTAKE_MAX_MB} MB).\n",
                encoding="utf-8",
            )
            logger.warning("Drop folder: a file of %s bytes was refused (too large)", size)
            report.rejected += 1
            return
        try:
            with claimed.open("rb") as handle:
                receipt = intake_receive(
                    file=handle, file_name=name, channel=Channel.DROP_FOLDER, key=f"drop:{claim}"
                )
        except IntakeRefused:
            report.rejected += 1
            self._move(claimed, self.root / REJECTED / name)
            return
        day = timezone.localdate().isoformat()
        (self.root / PROCESSED / day).mkdir(exist_ok=True)
        self._move(claimed, self.root / PROCESSED / day / claimed.name)
        if receipt.duplicate:
            report.duplicates += 1
        else:
            report.stored += 1

    def _move(self, source: Path, target: Path) -> None:
        if target.exists():
            target = target.with_name(f"{uuid.uuid4().hex[:8]}-{target.name}")
        with contextlib.suppress(FileNotFoundError):  # another watcher moved it
            os.rename(source, target)

    def clean_processed(self, *, keep_days: int) -> int:
        """Remove processed copies older than `keep_days` (the originals are stored)."""
        cutoff = timezone.localdate() - datetime.timedelta(days=keep_days)
        removed = 0
        for folder in (self.root / PROCESSED).iterdir():
            try:
                day = datetime.date.fromisoformat(folder.name)
            except ValueError:
                continue
            if day >= cutoff or not folder.is_dir():
                continue
            for path in folder.iterdir():
                path.unlink()
                removed += 1
            folder.rmdir()
        return removed
