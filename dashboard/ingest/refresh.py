"""`refresh`: find the newest official files through the publishers' own APIs, download them
(or take them from a folder a user filled by hand), then ingest them all in one atomic load.

Each `[[download]]` in data/sources.toml says how its newest file is found (`discover`):
- `gias`: GIAS publishes one extract a day with the date in its name and no listing, so try
  today's address, then each day before, up to `days_back` days;
- `ees`: DfE's Explore Education Statistics content API: the publication's latest release,
  its version summary, then the release's "download all files" zip, from which the members
  matching `members` (patterns) are taken with their `.meta.csv`;
- `govuk`: a GOV.UK content item's attachments: the newest CSV whose title holds `title`;
- `arcgis`: ONS's ArcGIS services: the newest service whose name matches `service` (the year
  in its name), queried page by page (`resultOffset`) while it says `exceededTransferLimit`,
  saved as one GeoJSON file;
- `nomis`: ONS population estimates from the Nomis API: one CSV query for the areas in
  `geography` (`{districts}` is the chosen authority's districts: Kent's from data/reference,
  any other's from the GIAS extract this refresh has just downloaded; `{region}` is its
  region) and the newest N mid-years (`date=latestMINUS…-latest`), N from `--years` or
  `default_years`;
- `url`: a fixed address (`{today:%Y%m%d}` is replaced by the date).
Addresses and slugs live only in that file; a failed step loads nothing and says which kind,
which address, what came back and what to change.
"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from dashboard.core import clock
from dashboard.core.config import DATA_DIR
from dashboard.ingest import load as kinds_of
from dashboard.ingest import writer
from dashboard.ingest.files import LoadError
from dashboard.ingest.http import Client, HttpFailure, origin, sha256
from dashboard.ingest.load import Staged, load_files
from dashboard.ingest.schools import districts_in_extract, is_extract

DEFAULT_CONFIG = DATA_DIR / "sources.toml"
# A member of a downloaded archive may not unpack to more than this, nor to more than
# MAX_RATIO times its compressed size: the largest official school-level CSVs are a few
# hundred megabytes and compress about 10:1, while a "zip bomb" unpacks a little to a lot.
MAX_MEMBER_BYTES = 4 << 30
MAX_RATIO = 200
DISCOVERY = ("url", "gias", "ees", "govuk", "arcgis", "nomis")
DELIVERS = {
    "gias": frozenset({kinds_of.GIAS, kinds_of.LINKS}),
    "ees": frozenset({kinds_of.EES, kinds_of.EHCP}),
    "govuk": frozenset({kinds_of.MI, kinds_of.HISTORY}),
    "arcgis": frozenset({kinds_of.BOUNDARIES}),
    "nomis": frozenset({kinds_of.POPULATION}),
    "url": frozenset(kinds_of.KINDS),  # a fixed address: say `kind` to narrow it
}
ARCGIS_PAGE = 1000  # features a query page asks for (services cap it at 1,000–2,000)
MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}  # fmt: skip
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9}


@dataclass(frozen=True)
class Download:
    name: str
    url: str = ""
    file: str = ""  # name to save as (for a zip: the archive)
    year: str | None = None  # academic year, for files that do not state it
    members: tuple[str, ...] = ()  # files (or patterns) to take out of a zip archive
    discover: str = "url"
    api: str = ""  # content API base (ees) or content item address (govuk)
    publication: str = ""  # EES publication slug
    title: str = ""  # words a GOV.UK attachment's title holds
    days_back: int = 10  # gias: how many days before today to look back
    service: str = ""  # arcgis: a pattern of the service name, e.g. Local_Authority_Districts_*
    # nomis: ONS area codes; "{districts}" = the LA's districts, "{region}" = its region
    geography: tuple[str, ...] = ()
    query: str = ""  # nomis: the rest of the query (ages, gender, measures, columns)
    default_years: int = 16  # nomis: mid-years to ask for when --years is not given
    hosts: tuple[str, ...] = ()  # further services this download may fetch from (scheme://host)
    kind: tuple[str, ...] = ()  # the kinds of file it may deliver (default: by `discover`)


@dataclass(frozen=True)
class Plan:
    """What one kind will fetch: found by discovery, or from a folder."""

    name: str
    url: str
    file: str
    publication: str = ""
    release: str = ""
    members: tuple[str, ...] = ()
    year: str | None = None
    files: tuple[str, ...] = ()  # from a folder: the loose files to load as they are
    paged: bool = False  # arcgis: `url` is a query to page through, not one file

    def describe(self) -> str:
        parts = [f"{self.name}: {self.publication or 'fixed address'}"]
        if self.release:
            parts.append(f"release {self.release}")
        parts.append(f"from {self.url}")
        if self.members:
            parts.append("taking " + ", ".join(self.members))
        return "; ".join(parts)


def read_config(path: Path, today: date | None = None) -> list[Download]:
    """Entries of the sources file, checked; `today` (default `clock.today()`) fills
    `{today:%Y%m%d}` in fixed addresses. A value of the wrong type or an address that cannot
    be filled is refused naming the download and the setting."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LoadError(f"{path}: no sources file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise LoadError(f"{path}: {exc}") from None
    today = today or clock.today()
    out = []
    needs = {"url": {"url", "file"}, "gias": {"url", "file"}, "ees": {"api", "publication"},
             "govuk": {"api", "title"}, "arcgis": {"api", "service"},
             "nomis": {"api", "geography", "query", "file"}}  # fmt: skip
    entries = data.get("download", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise LoadError(f"{path}: `download` must be a list of [[download]] tables")
    for i, entry in enumerate(entries, start=1):
        how = entry.get("discover", "url")
        if how not in DISCOVERY:
            raise LoadError(f"{path}: download {i} has discover = {how!r}; use one of "
                            f"{', '.join(DISCOVERY)}")  # fmt: skip
        missing = ({"name"} | needs[how]) - set(entry)
        if missing:
            raise LoadError(f"{path}: download {i} lacks {', '.join(sorted(missing))}")
        setting = _Setting(path, i, entry)
        fixed = how == "url"
        out.append(Download(
            name=setting.text("name"),
            url=setting.address("url", today, fixed), file=setting.address("file", today, fixed),
            year=setting.text("year") or None, members=setting.texts("members"), discover=how,
            api=setting.text("api").rstrip("/"), publication=setting.text("publication"),
            title=setting.text("title"), days_back=setting.number("days_back", 10),
            service=setting.text("service"), geography=setting.texts("geography"),
            query=setting.text("query"), default_years=setting.number("default_years", 16),
            hosts=setting.texts("hosts"), kind=setting.kinds("kind"),
        ))  # fmt: skip
    if not out:
        raise LoadError(f"{path}: no [[download]] entries")
    return out


class _Setting:
    """One [[download]]'s values, each checked for its type as it is read."""

    def __init__(self, path: Path, index: int, entry: dict) -> None:
        self.path, self.entry = path, entry
        self.where = f"{path}: download {index} ({entry.get('name', '?')!s:.40})"

    def text(self, key: str) -> str:
        value = self.entry.get(key, "")
        if not isinstance(value, str):
            raise LoadError(f"{self.where}: `{key}` must be text in quotes, not {value!r:.40}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise LoadError(
                f'{self.where}: `{key}` must be a list of texts, such as ["data/*.csv"], '
                f"not {value!r:.40}"
            )
        return tuple(value)

    def kinds(self, key: str) -> tuple[str, ...]:
        value = self.texts(key)
        unknown = [v for v in value if v not in kinds_of.KINDS]
        if unknown:
            raise LoadError(f"{self.where}: `{key}` names {', '.join(map(repr, unknown))}; "
                            f"kinds are {', '.join(kinds_of.KINDS)}")  # fmt: skip
        return value

    def number(self, key: str, default: int) -> int:
        value = self.entry.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 10_000:
            raise LoadError(f"{self.where}: `{key}` must be a whole number from 1 to 10,000, "
                            f"not {value!r:.40}")  # fmt: skip
        return value

    def address(self, key: str, today: date, fill: bool) -> str:
        """An address or file name; `{today:…}` is the only placeholder (`gias` fills it day
        by day later, so it is only checked here)."""
        value = self.text(key)
        try:
            filled = value.format(today=today)
        except (KeyError, IndexError, ValueError, AttributeError) as exc:
            raise LoadError(
                f"{self.where}: `{key}` holds a placeholder other than {{today:%Y%m%d}} "
                f"({type(exc).__name__}: {exc})"
            ) from None
        return filled if fill else value


def discover(d: Download, client: Client, today: date, la: str = "886",
             years: int | None = None, extract: list[Path] | None = None) -> Plan:  # fmt: skip
    """Find the newest file of one kind, asking only small discovery questions. `extract` is
    the GIAS extract this refresh has already downloaded, if any: it names the districts of an
    authority data/reference does not hold."""
    if d.discover == "nomis":
        return _nomis(d, la, years, extract)
    try:
        if d.discover == "gias":
            return _gias(d, client, today)
        if d.discover == "ees":
            return _ees(d, client)
        if d.discover == "govuk":
            return _govuk(d, client)
        if d.discover == "arcgis":
            return _arcgis(d, client)
    except HttpFailure as exc:
        raise LoadError(f"{d.name}: {exc}; check `{d.name}` in the sources file; nothing was "
                        "loaded") from None  # fmt: skip
    return Plan(d.name, d.url, d.file, release="as configured", members=d.members, year=d.year)


def _gias(d: Download, client: Client, today: date) -> Plan:
    for back in range(d.days_back + 1):
        day = today - timedelta(days=back)
        url = d.url.format(today=day)
        if client.exists(url):
            return Plan(d.name, url, d.file.format(today=day), "Get Information About Schools",
                        f"extract of {day:%-d %B %Y}", year=d.year)  # fmt: skip
    raise LoadError(
        f"{d.name}: no extract at {d.url} for any day from {today - timedelta(d.days_back)} to "
        f"{today}; GIAS may have moved its downloads: check `url` for `{d.name}` in the sources "
        "file; nothing was loaded"
    )


SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
TERMLY = re.compile(r"(?i)^(\d{4})-(\d{2})-.*term")


def _object(value: object) -> dict:
    """A JSON value that should be an object, or {} when a service sent another shape."""
    return value if isinstance(value, dict) else {}


def _objects(value: object) -> list[dict]:
    """A JSON value that should be a list of objects, keeping only the objects."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _slug(d: Download, value: object, what: str, where: str) -> str:
    """A name from a service that goes into an address or a file name: letters, digits, dot,
    dash and underscore only, so `../` or `/` in an answer can never leave its folder."""
    if isinstance(value, str) and SLUG.fullmatch(value) and ".." not in value:
        return value
    raise LoadError(f"{d.name}: {where} gives {what} {value!r:.60}, which is not a plain name; "
                    "nothing was loaded")  # fmt: skip


def _ees(d: Download, client: Client) -> Plan:
    """The publication's newest full-year release. DfE also publishes termly releases (an
    autumn-term absence release, a spring-term suspensions release) that may be the "latest";
    their school files cover part of a year, so the newest full-year release is taken and the
    plan says so."""
    base = f"{d.api}/publications/{quote(d.publication, safe='')}"
    publication = client.json(base)
    latest = _object(publication.get("latestRelease"))
    if not latest.get("slug"):
        raise LoadError(f"{d.name}: {base} names no latest release; check `publication` in "
                        "the sources file")  # fmt: skip
    slug = _slug(d, latest.get("slug"), "the release", base)
    taken, note = slug, ""
    termly = TERMLY.match(slug)
    if termly:
        start = int(termly[1])
        candidates = [f"{y}-{(y + 1) % 100:02d}" for y in (start, start - 1)]
        for candidate in candidates:  # GET, as the site asks; HEAD is not documented there
            try:
                summary = client.json(f"{base}/releases/{candidate}/version-summary")
            except HttpFailure as exc:
                if exc.status in (404, 410):
                    continue
                raise
            taken = candidate
            break
        else:
            raise LoadError(
                f"{d.name}: the latest release, {latest.get('title') or slug}, is termly and "
                f"neither full-year release ({', '.join(candidates)}) was found at {base}; "
                "nothing was loaded"
            )
        note = (
            f" (the newest full-year release; the latest, {latest.get('title') or slug}, is termly)"
        )
    else:
        summary = client.json(f"{base}/releases/{taken}/version-summary")
    version = _slug(d, summary.get("id"), "the release version", f"release {taken}")
    url = f"{d.api}/releases/{version}/files?fromPage=ReleaseDownloads"
    title = publication.get("title") if isinstance(publication.get("title"), str) else None
    shown = summary.get("title") if isinstance(summary.get("title"), str) else taken
    return Plan(d.name, url, f"{_slug(d, d.publication, 'the publication', 'sources')}-{taken}.zip",
                title or d.publication, f"{shown}{note}", d.members, d.year)  # fmt: skip


def _nomis(d: Download, la: str, years: int | None, extract: list[Path] | None = None) -> Plan:
    """The population query: no discovery is needed, since `latest` is part of Nomis's own
    query language. A county may not be a Nomis geography, so an authority is asked for as
    its districts and summed when read: Kent's ship in data/reference/districts.csv; any other
    authority's are read from the GIAS extract (each school's DistrictAdministrative), so
    `gias` must come before `population` in the sources file. Without an extract (`--plan`)
    the address says where the districts will come from instead."""
    codes: list[str] = []
    for g in d.geography:
        if g == "{districts}":
            found = districts_of(la) or (districts_in_extracts(extract, la) if extract else [])
            if not found and extract is None:
                found = [f"{{the districts of LA {la} in the GIAS extract}}"]
            if not found:
                raise LoadError(
                    f"{d.name}: no districts are known for LA {la}: neither "
                    "data/reference/districts.csv nor the GIAS extract downloaded with it names "
                    "any; run `gias` in the same refresh, or name its ONS district codes in "
                    "`geography` in the sources file"
                )
            codes += found
        elif g == "{region}":
            codes.append(region_of(la, d.name))
        elif not re.fullmatch(r"[EWSNK]\d{8}", g):  # a typo would reach Nomis as an area
            raise LoadError(f"{d.name}: geography {g!r} in the sources file is neither an ONS "
                            "area code such as E92000001 nor {districts} or {region}")  # fmt: skip
        else:
            codes.append(g)
    n = years or d.default_years
    span = "latest" if n <= 1 else f"latestMINUS{n - 1}-latest"
    url = f"{d.api}?geography={','.join(codes)}&date={span}&{d.query}"
    return Plan(d.name, url, d.file, "ONS mid-year population estimates (Nomis)",
                f"the newest {n} mid-year estimate(s)", year=d.year)  # fmt: skip


def districts_of(la: str) -> list[str]:
    """The districts data/reference ships for an authority (Kent's), else none."""
    table = writer.read_reference("districts.csv")
    return sorted(table.loc[table["la_code"] == str(la), "district_code"])


def districts_in_extracts(paths: list[Path], la: str) -> list[str]:
    """The ONS district codes the GIAS extract gives the authority's open and closed schools
    (a unitary authority is its own single district)."""
    found: set[str] = set()
    for path in paths:
        found |= districts_in_extract(path, la)
    return sorted(found)


def region_of(la: str, download: str) -> str:
    """The ONS region code of an authority, from data/reference/authorities.csv."""
    table = writer.read_reference("authorities.csv")
    rows = table.loc[table["la_code"].astype(str) == str(la), "region_code"]
    if rows.empty or not isinstance(rows.iat[0], str):
        raise LoadError(
            f"{download}: LA {la} is not in data/reference/authorities.csv, so its region is "
            "not known; give --la as a DfE authority code such as 886"
        )
    return rows.iat[0]


def _attachment_date(title: str) -> date | None:
    found = re.search(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", title)
    if not found:
        return None
    month = MONTHS.get(found[2].lower()) or MONTHS.get(found[2][:3].lower())
    try:
        return date(int(found[3]), month, int(found[1])) if month else None
    except ValueError:
        return None


def _govuk(d: Download, client: Client) -> Plan:
    item = client.json(d.api)
    attachments = _objects(_object(item.get("details")).get("attachments"))
    wanted = []
    for a in attachments:
        title, url = str(a.get("title", "")), str(a.get("url", ""))
        if d.title.lower() in title.lower() and urlparse(url).path.lower().endswith(".csv"):
            wanted.append((_attachment_date(title) or date.min, title, url))
    if not wanted:
        raise LoadError(f"{d.name}: no CSV attachment of {d.api} has a title holding "
                        f"{d.title!r}; check `title` in the sources file")  # fmt: skip
    _, title, url = max(wanted)
    client.check_address(url)  # an attachment elsewhere (file:, another host) is refused here
    name = _slug(d, Path(unquote(urlparse(url).path)).name, "the file name", d.api)
    shown = str(item["title"]) if isinstance(item.get("title"), str) else d.api
    return Plan(d.name, url, name, shown, title, year=d.year)


def _arcgis(d: Download, client: Client) -> Plan:
    listing = client.json(f"{d.api}?f=json")
    found = []
    for service in _objects(listing.get("services")):
        name = str(service.get("name", "")).rsplit("/", 1)[-1]
        wanted = fnmatch.fnmatch(name.lower(), d.service.lower())
        if service.get("type") == "FeatureServer" and wanted:
            year = max((int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", name)), default=0)
            found.append((year, name))
    if not found:
        raise LoadError(f"{d.name}: no FeatureServer at {d.api} is named like {d.service!r}; "
                        "check `service` in the sources file")  # fmt: skip
    _, name = max(found)
    name = _slug(d, name, "the service", d.api)
    query = (f"{d.api}/{name}/FeatureServer/0/query?where=1%3D1&outFields=*&outSR=4326"
             f"&f=geojson&resultRecordCount={ARCGIS_PAGE}")  # fmt: skip
    return Plan(d.name, query, f"{name}.geojson", "ONS Open Geography Portal", name, paged=True)


def _arcgis_pages(plan: Plan, dest: Path, client: Client) -> Path:
    """Every feature of a query, page by page, written as one GeoJSON file."""
    features: list = []
    for _ in range(10_000):
        answer = client.json(f"{plan.url}&resultOffset={len(features)}")
        got = _objects(answer.get("features"))
        features += got
        more = answer.get("exceededTransferLimit") is True or (
            _object(answer.get("properties")).get("exceededTransferLimit") is True
        )
        if not more or not got:
            break
    else:  # pragma: no cover - a service that never stops
        raise LoadError(f"{plan.name}: {plan.url} still had more after 10,000 pages")
    if not features:
        raise LoadError(f"{plan.name}: {plan.url} returned no features")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return dest


def fetch(plan: Plan, folder: Path, client: Client) -> list[Path]:
    """Download one kind into `folder`; returns the files to ingest (the download itself, or
    the chosen members of a zip)."""
    dest = inside(folder, plan.file, plan.name)
    try:
        if plan.paged:
            return [_arcgis_pages(plan, dest, client)]
        target = client.download(plan.url, dest)
    except HttpFailure as exc:
        raise LoadError(f"{plan.name}: {exc}; check `{plan.name}` in the sources file; nothing "
                        "was loaded") from None  # fmt: skip
    return unpack(plan, target, folder)


def inside(folder: Path, name: str, kind: str) -> Path:
    """`folder/name`, refused unless it stays inside `folder` (a name from a service or a zip
    may hold `../` or an absolute path)."""
    root = Path(folder).resolve()
    dest = (root / name).resolve()
    if not name or dest.parent != root:
        raise LoadError(f"{kind}: the file name {name!r:.80} would be written outside "
                        f"{folder}; refusing it, nothing was loaded")  # fmt: skip
    return dest


def unpack(plan: Plan, target: Path, folder: Path) -> list[Path]:
    if not plan.members:
        return [target]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(target) as archive:
            names = archive.namelist()
            out = []
            for pattern in plan.members:
                # DfE's member names change case between years: match regardless of case
                found = [n for n in names if fnmatch.fnmatch(n.lower(), pattern.lower())]
                _unambiguous(plan, target, pattern, found)
                if not found:
                    raise LoadError(
                        f"{plan.name}: {target.name} has no member matching {pattern!r} (it has "
                        f"{', '.join(sorted(names)[:8])}); change `members` for `{plan.name}` "
                        "in the sources file; nothing was loaded"
                    )
                lowered = {n.lower(): n for n in names}
                for member in found:
                    meta = lowered.get(member[: -len(".csv")].lower() + ".meta.csv")
                    for name in [member] + ([meta] if meta and meta != member else []):
                        dest = inside(folder, Path(name).name, plan.name)
                        if dest not in out:
                            _extract(archive, archive.getinfo(name), dest, plan)
                            out.append(dest)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, OSError) as exc:  # fmt: skip
        # RuntimeError: an encrypted member; OSError/EOFError: a damaged or unreadable file
        raise LoadError(f"{plan.name}: {target.name} is not a zip archive this can read "
                        f"({exc}); nothing was loaded") from None  # fmt: skip
    return out


def _unambiguous(plan: Plan, target: Path, pattern: str, found: list[str]) -> None:
    """Refuse a pattern whose members would land on one file name: the same name twice in the
    archive, or in two of its folders (which one is the release's file cannot be told)."""
    by_name: dict[str, list[str]] = {}
    for member in found:
        by_name.setdefault(Path(member).name.lower(), []).append(member)
    clashes = [members for members in by_name.values() if len(members) > 1]
    if clashes:
        shown = "; ".join(" and ".join(repr(m) for m in c) for c in clashes[:3])
        raise LoadError(
            f"{plan.name}: {target.name} holds more than one member for {pattern!r} with the "
            f"same file name ({shown}); make `members` for `{plan.name}` in the sources file "
            "name one of them; nothing was loaded"
        )


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, d: Plan) -> None:
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


def from_folder(d: Download, folder: Path) -> Plan:
    """The newest file of one kind among files a user downloaded by hand into `folder`."""
    if d.discover == "ees":
        zips = sorted(folder.glob(f"{d.publication}*.zip")) or sorted(folder.glob("*.zip"))
        for z in reversed(zips):
            try:
                with zipfile.ZipFile(z) as archive:
                    held = [n.lower() for n in archive.namelist()]
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise LoadError(
                    f"{d.name}: {z} is not a zip archive this can read ({exc}); "
                    "download it again or remove it; nothing was loaded"
                ) from None
            if all(any(fnmatch.fnmatch(n, p.lower()) for n in held) for p in d.members):
                return Plan(d.name, str(z), z.name, d.publication, "from a folder",
                            d.members, d.year)  # fmt: skip
        names = [Path(p).name for p in d.members]
        loose = [f for f in sorted(folder.iterdir())
                 if any(fnmatch.fnmatch(f.name.lower(), n.lower()) for n in names)]  # fmt: skip
        if loose:
            return Plan(d.name, str(folder), "", d.publication, "from a folder", year=d.year,
                        files=tuple(str(f) for f in loose))  # fmt: skip
        wanted = f"a zip of the release or {', '.join(names)}"
    elif d.discover == "arcgis":
        found = sorted(folder.glob("*.geojson"))
        if found:
            return Plan(d.name, str(found[-1]), found[-1].name, "", "from a folder")
        wanted = "a .geojson file of district boundaries"
    elif d.discover == "nomis":
        found = sorted(folder.glob(d.file)) or sorted(folder.glob("*population*.csv"))
        if found:
            return Plan(d.name, str(found[-1]), found[-1].name, "", "from a folder")
        wanted = f"{d.file} (the Nomis population query, saved as CSV)"
    elif d.discover == "govuk":
        found = sorted(folder.glob("*.csv"), key=lambda f: (_attachment_date(
            f.stem.replace("_", " ")) or date.min, f.name))  # fmt: skip
        found = [f for f in found if "latest_inspections" in f.name.lower()]
        if found:
            return Plan(d.name, str(found[-1]), found[-1].name, "", "from a folder", year=d.year)
        wanted = "a CSV named like *latest_inspections*.csv"
    else:
        pattern = re.sub(r"\{today:[^}]*\}", "*", d.file) if d.discover == "gias" else d.file
        found = sorted(folder.glob(pattern))
        if found:
            return Plan(d.name, str(found[-1]), found[-1].name, "", "from a folder",
                        d.members, d.year)  # fmt: skip
        wanted = pattern
    raise LoadError(f"{d.name}: {folder} holds no {wanted}; download it by hand (see the sources "
                    "file) or leave this kind out with --only")  # fmt: skip


def plan(config: Path = DEFAULT_CONFIG, only: list[str] | None = None,
         today: date | None = None, client: Client | None = None, la: str = "886",
         years: int | None = None) -> list[Plan]:  # fmt: skip
    """Discover what every kind (or those in `only`) would fetch, asking only the small
    discovery questions; nothing is downloaded (so another authority's districts are named
    as coming from the GIAS extract)."""
    today = today or clock.today()
    client = client or Client()
    return [discover(d, client, today, la, years) for d in _chosen(config, only, today, client)]


def origins(downloads: list[Download]) -> frozenset[tuple[str, str]]:
    """The services `refresh` may fetch from: the scheme and host of every configured address
    and `hosts` entry, so an answer naming another host or a `file:` address is refused, and
    an https service is never asked over plain http."""
    found = set()
    for d in downloads:
        for address in (d.url, d.api, *d.hosts):
            if address:
                found.add(origin(address))
    return frozenset(found)


def _chosen(config: Path, only: list[str] | None, today: date, client: Client) -> list[Download]:
    """The downloads asked for; `client` may fetch only from the services the whole sources
    file names."""
    downloads = read_config(config, today)
    client.origins = origins(downloads)
    if only:
        unknown = set(only) - {d.name for d in downloads}
        if unknown:
            raise LoadError(f"{config}: no download named {', '.join(sorted(unknown))}")
        downloads = [d for d in downloads if d.name in only]
    return downloads


def refresh(
    db_path: Path,
    config: Path = DEFAULT_CONFIG,
    folder: Path | None = None,
    la: str = "886",
    only: list[str] | None = None,
    progress: bool | None = None,
    today: date | None = None,
    from_dir: Path | None = None,
    client: Client | None = None,
    years: int | None = None,
) -> list[Staged]:
    """Find and download every configured kind (or take them from `from_dir`), then load them
    all together. Each file's source row records the publication, release, address, the time
    it was retrieved and its checksum. `years` keeps each release's newest N years (default:
    every year the releases hold)."""
    if years is not None and years < 1:
        raise LoadError(f"--years {years}: give a number of years, 1 or more")
    today = today or clock.today()
    client = client or Client(progress=progress)
    folder = folder or DATA_DIR / "downloads"
    files, file_years, provenance, expected = [], {}, {}, {}
    extract: list[Path] = []  # the GIAS extract, which names another authority's districts
    for d in _chosen(config, only, today, client):
        if from_dir is not None:
            p = from_folder(d, Path(from_dir))
            got = [Path(f) for f in p.files] if p.files else unpack(p, Path(p.url), folder)
        else:
            p = discover(d, client, today, la, years, extract)
            got = fetch(p, folder, client)
        extract += [f for f in got if kinds_of.GIAS in delivers(d) and is_extract(f)]
        retrieved = datetime.now().astimezone().isoformat(timespec="seconds")
        for f in got:
            files.append(f)
            expected[f] = (d.name, delivers(d))
            if p.year:
                file_years[f] = p.year
            provenance[f] = (f"{p.publication or p.name}; release {p.release}; from {p.url}; "
                             f"retrieved {retrieved}; sha256 {sha256(f)[:16]}…")  # fmt: skip
    with writer.provenance(provenance):
        return load_files(db_path, files, la, file_years=file_years, progress=progress,
                          newest_years=years, expected=expected)  # fmt: skip


def delivers(d: Download) -> frozenset[str]:
    """The kinds of file a download may deliver: its `kind` setting when given, else what its
    way of discovery can bring (a release zip holds school-level or EHC plans files, never a
    GIAS extract)."""
    if d.kind:
        return frozenset(d.kind)
    return DELIVERS[d.discover]
