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
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from tqdm import tqdm

from dashboard.ingest.files import LoadError

USER_AGENT = "kent-inclusion-dashboard/1 (+https://github.com/; refresh of official statistics)"
RETRY_CODES = {429, 500, 502, 503, 504}
MAX_WAIT = 120.0  # never sleep longer than this for one Retry-After


class HttpFailure(LoadError):
    """A request that failed for good: names the URL and what came back."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date. Anything else
    (a date that does not parse, digits from other scripts such as "²") is None."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def origin(url: str) -> tuple[str, str]:
    """(scheme, host:port) of an address, lower case: what `Client.origins` holds."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


@dataclass(frozen=True)
class Validators:
    """What identifies one version of a file on the server: a resumed or reused download must
    be of the same version, or two versions get spliced together."""

    etag: str = ""
    last_modified: str = ""
    size: int | None = None

    @classmethod
    def of(cls, response, size: int | None) -> Validators:
        etag = (response.headers.get("ETag") or "").strip()
        return cls(etag, (response.headers.get("Last-Modified") or "").strip(), size)

    @property
    def strong(self) -> str:
        """The validator `If-Range` may carry: a strong ETag, else Last-Modified."""
        if self.etag and not self.etag.startswith("W/"):
            return self.etag
        return self.last_modified

    def same_version(self, other: Validators) -> bool:
        """True only when the server proves it: a matching ETag, or (with no ETag on either
        side) a matching Last-Modified; a size that differs always says no."""
        if self.size is not None and other.size is not None and self.size != other.size:
            return False
        if self.etag or other.etag:
            return bool(self.etag) and self.etag == other.etag
        return bool(self.last_modified) and self.last_modified == other.last_modified


def _read_note(path: Path) -> dict:
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return note if isinstance(note, dict) else {}


def _validators(note: dict) -> Validators:
    size = note.get("size")
    return Validators(
        str(note.get("etag") or ""),
        str(note.get("last_modified") or ""),
        size if isinstance(size, int) else None,
    )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an address the client may fetch."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        self.client.check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class Client:
    timeout: float = 60.0  # for each read from the server
    retries: int = 4
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = time.sleep
    progress: bool | None = None
    deadline: float = 3600.0  # for a whole download or answer, however slowly it trickles
    max_json: int = 64_000_000  # the largest JSON answer read (discovery answers are kilobytes)
    # (scheme, host) pairs that may be fetched; None allows any http(s) address (a client made
    # by hand). `refresh` sets it from the sources file.
    origins: frozenset[tuple[str, str]] | None = None

    def check_address(self, url: str) -> None:
        """Refuse an address outside the configured services: another scheme (file:, ftp:),
        another host, or plain http where the sources file says https."""
        scheme, host = origin(url)
        if scheme not in ("http", "https") or not host:
            raise HttpFailure(f"{url}: only http(s) addresses are fetched")
        if self.origins is not None and (scheme, host) not in self.origins:
            allowed = ", ".join(f"{s}://{h}" for s, h in sorted(self.origins))
            raise HttpFailure(
                f"{url}: not one of the services in the sources file ({allowed}); a publisher "
                "that moved its files needs `hosts` for that download in the sources file"
            )

    def _open(self, url: str, headers: dict[str, str] | None = None, method: str = "GET"):
        self.check_address(url)
        opener = urllib.request.build_opener(_CheckedRedirects(self))
        for attempt in range(self.retries + 1):
            try:
                request = urllib.request.Request(
                    url, headers={"User-Agent": self.user_agent, **(headers or {})}, method=method
                )
                return opener.open(request, timeout=self.timeout)
            except HttpFailure:
                raise  # a redirect to an address that may not be fetched (a ValueError too)
            except ValueError as exc:  # not an address urllib can open: no retry will mend it
                raise HttpFailure(f"{url}: not an address that can be fetched ({exc})") from None
            except urllib.error.HTTPError as exc:
                if exc.code in RETRY_CODES and attempt < self.retries:
                    wait = retry_after(exc.headers.get("Retry-After"))
                    self.sleep(min(MAX_WAIT, wait if wait is not None else 2.0**attempt))
                    continue
                raise HttpFailure(
                    f"{url}: the server answered HTTP {exc.code} {exc.reason}", exc.code
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
            if exc.status in (404, 410):
                return False
            raise

    def json(self, url: str) -> dict:
        """A JSON object from `url`; an answer that is not one, or larger than `max_json`, or
        slower than `deadline`, is refused by name."""
        started = time.monotonic()
        body = bytearray()
        with self._open(url, {"Accept": "application/json"}) as response:
            try:
                while chunk := response.read1(1 << 16):
                    body += chunk
                    if len(body) > self.max_json:
                        raise HttpFailure(
                            f"{url}: the answer is larger than {self.max_json / 1e6:,.1f} MB, "
                            "far more than a discovery answer holds; refusing it"
                        )
                    self._in_time(url, started, len(body))
            except (OSError, TimeoutError) as exc:
                raise HttpFailure(f"{url}: the answer stopped ({exc})") from None
        try:
            answer = json.loads(bytes(body))
        except ValueError:
            raise HttpFailure(f"{url}: expected JSON, got {bytes(body[:80])!r}") from None
        if not isinstance(answer, dict):
            raise HttpFailure(f"{url}: expected a JSON object, got a {type(answer).__name__}")
        return answer

    def _in_time(self, url: str, started: float, got: int) -> None:
        if time.monotonic() - started > self.deadline:
            raise HttpFailure(
                f"{url}: still unfinished after {self.deadline:g} s ({got:,} bytes so far); the "
                "server is too slow, try again later"
            )

    def download(self, url: str, dest: Path) -> Path:
        """Fetch `url` into `dest` through `dest.part`, resuming a part left by an earlier run
        only when the server proves it is the same version (If-Range with the part's ETag or
        Last-Modified); reuse `dest` only when it came from this address and the server proves
        it unchanged. Refuses a short file, and one that takes longer than `deadline`."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(dest.name + ".part")
        note = dest.with_name(dest.name + ".json")  # the finished file's address and version
        part_note = dest.with_name(dest.name + ".part.json")
        if self._unchanged(url, dest, note):
            return dest
        for _ in range(2):  # a second go from the start when a part cannot be resumed
            have, version = self._resumable(url, part, part_note)
            headers = {"Range": f"bytes={have}-", "If-Range": version.strong} if have else {}
            try:
                response = self._open(url, headers)
            except HttpFailure as exc:
                if have and exc.status == 416:  # the part is not a prefix of this file
                    _discard(part, part_note)
                    continue
                raise
            with response:
                resumed = response.status == 206
                if resumed and not _continues(response, have, version):
                    _discard(part, part_note)
                    continue
                total = _total(response, have if resumed else 0)
                if not resumed:
                    version = Validators.of(response, total)
                    _discard(part, part_note)
                    part_note.write_text(json.dumps({"url": url, **asdict(version)}))
                got = self._copy(url, response, part, have if resumed else 0, total, dest.name)
            break
        else:
            raise HttpFailure(f"{url}: the server would not send the file from its start")
        if total is not None and got > total:
            _discard(part, part_note)
            raise HttpFailure(
                f"{url}: the server sent more than the {total:,} bytes it announced; the file "
                "was discarded, try again later"
            )
        if total is not None and got != total:
            raise HttpFailure(
                f"{url}: got {got:,} of the {total:,} bytes the server announced; the file is "
                f"kept as {part.name} and the next refresh resumes it"
            )
        if got == 0:
            _discard(part, part_note)
            raise HttpFailure(f"{url}: the server sent an empty file")
        part.replace(dest)
        part_note.unlink(missing_ok=True)
        note.write_text(
            json.dumps({"url": url, **asdict(version), "size": got, "sha256": sha256(dest)})
        )
        return dest

    def _copy(self, url, response, part: Path, got: int, total: int | None, name: str) -> int:
        started = time.monotonic()
        bar = tqdm(total=total, initial=got, unit="B", unit_scale=True, desc=name,
                   disable=self._quiet())  # fmt: skip
        with part.open("ab" if got else "wb") as fh, bar:
            try:
                while chunk := response.read1(1 << 16):
                    fh.write(chunk)
                    got += len(chunk)
                    bar.update(len(chunk))
                    if total is not None and got > total:
                        break  # more than announced: the size check below refuses it
                    self._in_time(url, started, got)
            except (OSError, TimeoutError) as exc:
                raise HttpFailure(
                    f"{url}: the download stopped after {got:,} bytes ({exc}); run refresh "
                    f"again to resume from {part.name}"
                ) from None
        return got

    def _unchanged(self, url: str, dest: Path, note_path: Path) -> bool:
        """True when `dest` is whole, came from `url`, and the server says it has not changed
        since (same ETag, or same Last-Modified where it gives no ETag, and the same size)."""
        note = _read_note(note_path)
        if not dest.exists() or note.get("url") != url or note.get("sha256") != sha256(dest):
            return False
        try:
            with self._open(url, method="HEAD") as response:
                length = response.headers.get("Content-Length")
                now = Validators.of(response, int(length) if length and length.isdigit() else None)
        except HttpFailure:
            return False
        return _validators(note).same_version(now)

    @staticmethod
    def _resumable(url: str, part: Path, part_note: Path) -> tuple[int, Validators]:
        """(bytes to resume from, the version they are of); 0 when the part cannot be proved
        to be of one version of this address, in which case it is discarded."""
        note = _read_note(part_note)
        version = _validators(note)
        if part.exists() and note.get("url") == url and version.strong:
            size = part.stat().st_size
            if size:
                return size, version
        _discard(part, part_note)
        return 0, Validators()

    def _quiet(self) -> bool | None:
        return None if self.progress is None else not self.progress


def _discard(part: Path, part_note: Path) -> None:
    part.unlink(missing_ok=True)
    part_note.unlink(missing_ok=True)


def _continues(response, have: int, version: Validators) -> bool:
    """A 206 answer continues the part: it starts where the part ends, and any ETag it
    carries is the part's."""
    content_range = response.headers.get("Content-Range", "")
    try:
        start = int(content_range.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return False
    etag = (response.headers.get("ETag") or "").strip()
    return start == have and (not etag or not version.etag or etag == version.etag)


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
