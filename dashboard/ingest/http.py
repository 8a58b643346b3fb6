"""Polite, verified downloads for `refresh`: a User-Agent on every request, a timeout on every
request, retries with backoff on 429 and 5xx (honouring Retry-After), `.part` files that a
later run resumes, a size check against what the server said it would send, and a checksum
beside each finished file so an unchanged file is not fetched twice."""

from __future__ import annotations

import email.utils
import hashlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from dashboard.ingest.files import LoadError

USER_AGENT = "kent-inclusion-dashboard/1 (+https://github.com/; refresh of official statistics)"
RETRY_CODES = {429, 500, 502, 503, 504}
MAX_WAIT = 120.0  # never sleep longer than this for one Retry-After


class HttpFailure(LoadError):
    """A request that failed for good: names the URL and what came back."""


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


@dataclass
class Client:
    timeout: float = 60.0
    retries: int = 4
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = time.sleep
    progress: bool | None = None

    def _open(self, url: str, headers: dict[str, str] | None = None, method: str = "GET"):
        for attempt in range(self.retries + 1):
            try:
                request = urllib.request.Request(
                    url, headers={"User-Agent": self.user_agent, **(headers or {})}, method=method
                )
                return urllib.request.urlopen(request, timeout=self.timeout)
            except ValueError as exc:  # not an address urllib can open: no retry will mend it
                raise HttpFailure(f"{url}: not an address that can be fetched ({exc})") from None
            except urllib.error.HTTPError as exc:
                if exc.code in RETRY_CODES and attempt < self.retries:
                    wait = retry_after(exc.headers.get("Retry-After"))
                    self.sleep(min(MAX_WAIT, wait if wait is not None else 2.0**attempt))
                    continue
                raise HttpFailure(
                    f"{url}: the server answered HTTP {exc.code} {exc.reason}"
                ) from None
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                if attempt < self.retries:
                    self.sleep(2.0**attempt)
                    continue
                reason = getattr(exc, "reason", exc)
                raise HttpFailure(f"{url}: no answer ({reason})") from None
        raise HttpFailure(f"{url}: no answer")  # pragma: no cover - the loop always returns

    def exists(self, url: str) -> bool:
        """True if the server has the file (HEAD 200); a 404 is False, other failures raise."""
        try:
            with self._open(url, method="HEAD"):
                return True
        except HttpFailure as exc:
            if "HTTP 404" in str(exc) or "HTTP 410" in str(exc):
                return False
            raise

    def json(self, url: str) -> dict:
        with self._open(url, {"Accept": "application/json"}) as response:
            body = response.read()
        try:
            return json.loads(body)
        except ValueError:
            raise HttpFailure(f"{url}: expected JSON, got {body[:80]!r}") from None

    def download(self, url: str, dest: Path) -> Path:
        """Fetch `url` into `dest` through `dest.part`, resuming a part left by an earlier run;
        skip the download when `dest` is already there, whole, with the size the server
        states. Refuses a short file."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(dest.name + ".part")
        check = dest.with_name(dest.name + ".sha256")
        if dest.exists() and check.exists() and check.read_text().strip() == sha256(dest):
            size = self._size(url)
            if size is None or size == dest.stat().st_size:
                return dest
        have = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        with self._open(url, headers) as response:
            resumed = response.status == 206
            total = _total(response, have if resumed else 0)
            mode = "ab" if resumed else "wb"
            got = have if resumed else 0
            bar = tqdm(total=total, initial=got, unit="B", unit_scale=True, desc=dest.name,
                       disable=self._quiet())  # fmt: skip
            with part.open(mode) as fh, bar:
                try:
                    while chunk := response.read(1 << 16):
                        fh.write(chunk)
                        got += len(chunk)
                        bar.update(len(chunk))
                except (OSError, TimeoutError) as exc:
                    raise HttpFailure(
                        f"{url}: the download stopped after {got:,} bytes ({exc}); run refresh "
                        f"again to resume from {part.name}"
                    ) from None
        if total is not None and got != total:
            raise HttpFailure(
                f"{url}: got {got:,} of the {total:,} bytes the server announced; the file is "
                f"kept as {part.name} and the next refresh resumes it"
            )
        if got == 0:
            part.unlink()
            raise HttpFailure(f"{url}: the server sent an empty file")
        part.replace(dest)
        check.write_text(sha256(dest) + "\n")
        return dest

    def _size(self, url: str) -> int | None:
        try:
            with self._open(url, method="HEAD") as response:
                length = response.headers.get("Content-Length")
                return int(length) if length and length.isdigit() else None
        except HttpFailure:
            return None

    def _quiet(self) -> bool | None:
        return None if self.progress is None else not self.progress


def _total(response, offset: int) -> int | None:
    """Whole size of the file: Content-Range's total on a resumed answer, else the length."""
    content_range = response.headers.get("Content-Range", "")
    if "/" in content_range and content_range.rsplit("/", 1)[1].isdigit():
        return int(content_range.rsplit("/", 1)[1])
    length = response.headers.get("Content-Length")
    return offset + int(length) if length and length.isdigit() else None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
