"""`refresh`: download the official files named in one configuration file (data/sources.toml),
then ingest them all in one atomic load. Addresses change with every release, so they live in
that file, never in code; a failed download leaves the database untouched."""

from __future__ import annotations

import tomllib
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tqdm import tqdm

from dashboard import clock
from dashboard.config import DATA_DIR
from dashboard.ingest.files import LoadError
from dashboard.ingest.load import Staged, load_files

DEFAULT_CONFIG = DATA_DIR / "sources.toml"
TIMEOUT = 60
# A member of a downloaded archive may not unpack to more than this, nor to more than
# MAX_RATIO times its compressed size: the largest official school-level CSVs are a few
# hundred megabytes and compress about 10:1, while a "zip bomb" unpacks a little to a lot.
MAX_MEMBER_BYTES = 4 << 30
MAX_RATIO = 200


@dataclass(frozen=True)
class Download:
    name: str
    url: str
    file: str  # name to save as (for a zip: the archive)
    year: str | None = None  # academic year, for files that do not state it
    members: tuple[str, ...] = ()  # files to take out of a zip archive


def read_config(path: Path, today: date | None = None) -> list[Download]:
    """Entries of the sources file; `{today:%Y%m%d}` in an address becomes `today` (GIAS names
    its daily extract that way). `today` defaults to `clock.today()`; tests pass a fixed date."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LoadError(f"{path}: no sources file") from None
    except tomllib.TOMLDecodeError as exc:
        raise LoadError(f"{path}: {exc}") from None
    today = today or clock.today()
    out = []
    for i, entry in enumerate(data.get("download", []), start=1):
        missing = {"name", "url", "file"} - set(entry)
        if missing:
            raise LoadError(f"{path}: download {i} lacks {', '.join(sorted(missing))}")
        out.append(
            Download(
                entry["name"],
                entry["url"].format(today=today),
                entry["file"].format(today=today),
                entry.get("year"),
                tuple(entry.get("members", ())),
            )
        )
    if not out:
        raise LoadError(f"{path}: no [[download]] entries")
    return out


def fetch(d: Download, folder: Path, progress: bool | None = None) -> list[Path]:
    """Download one entry (with a progress bar on a terminal) into `folder`; returns the files
    to ingest (the download itself, or the named members of a zip)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / d.file
    partial = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(d.url, timeout=TIMEOUT) as response:
            size = int(response.headers.get("Content-Length") or 0) or None
            with (
                partial.open("wb") as fh,
                tqdm(
                    total=size,
                    unit="B",
                    unit_scale=True,
                    desc=d.file,
                    disable=None if progress is None else not progress,
                ) as bar,
            ):
                while chunk := response.read(1 << 16):
                    fh.write(chunk)
                    bar.update(len(chunk))
    except (urllib.error.URLError, OSError) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise LoadError(
            f"{d.name}: download from {d.url} failed ({reason}); check the "
            "address in the sources file; nothing was loaded"
        ) from None
    if partial.stat().st_size == 0:
        partial.unlink()
        raise LoadError(f"{d.name}: {d.url} returned an empty file; nothing was loaded")
    partial.replace(target)
    if not d.members:
        return [target]
    try:
        with zipfile.ZipFile(target) as archive:
            names = set(archive.namelist())
            out = []
            for member in d.members:
                if member not in names:
                    raise LoadError(
                        f"{d.name}: {d.file} has no member {member!r} (it has "
                        f"{', '.join(sorted(names)[:8])})"
                    )
                dest = folder / Path(member).name
                _extract(archive, archive.getinfo(member), dest, d)
                out.append(dest)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise LoadError(f"{d.name}: {d.file} is not a zip archive this can read ({exc})") from None
    return out


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, d: Download) -> None:
    """Copy one member out, refusing one that unpacks too large (by its declared size, and
    again while copying, since a declared size can lie)."""
    cap = min(MAX_MEMBER_BYTES, max(info.compress_size, 1) * MAX_RATIO)
    refuse = LoadError(
        f"{d.name}: {d.file} member {info.filename!r} unpacks to more than {cap / 1e6:,.0f} MB "
        f"from {info.compress_size / 1e6:,.1f} MB compressed; refusing it as a damaged or "
        "hostile archive; nothing was loaded"
    )
    if info.file_size > cap:
        raise refuse
    written = 0
    try:
        with archive.open(info) as src, dest.open("wb") as fh:
            while chunk := src.read(1 << 20):
                written += len(chunk)
                if written > cap:
                    raise refuse
                fh.write(chunk)
    except zipfile.BadZipFile as exc:
        dest.unlink(missing_ok=True)
        raise LoadError(
            f"{d.name}: {d.file} member {info.filename!r} is damaged ({exc}); nothing was loaded"
        ) from None
    except BaseException:
        dest.unlink(missing_ok=True)
        raise


def refresh(
    db_path: Path,
    config: Path = DEFAULT_CONFIG,
    folder: Path | None = None,
    la: str = "886",
    only: list[str] | None = None,
    progress: bool | None = None,
    today: date | None = None,
) -> list[Staged]:
    """Download every configured file (or those named in `only`), then load them together.
    `today` dates the addresses of daily files (default `clock.today()`)."""
    downloads = read_config(config, today)
    if only:
        unknown = set(only) - {d.name for d in downloads}
        if unknown:
            raise LoadError(f"{config}: no download named {', '.join(sorted(unknown))}")
        downloads = [d for d in downloads if d.name in only]
    folder = folder or DATA_DIR / "downloads"
    files, years = [], {}
    for d in downloads:
        for f in fetch(d, folder, progress):
            files.append(f)
            if d.year:
                years[f] = d.year
    return load_files(db_path, files, la, file_years=years, progress=progress)
