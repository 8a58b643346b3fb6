"""Load EHC plan release files into a dashboard database: atomic, idempotent, traceable."""

from __future__ import annotations

from pathlib import Path

from dashboard.ingest.ees import read_ehcp_file
from dashboard.ingest.writer import Build, update_database
from dashboard.store import sql


def stage_ehcp(path: Path, la: str = "all", notes: str | None = None,
               newest_years: int | None = None):  # fmt: skip
    """Read and check one file; returns (rows, a change that loads it into an open build).
    `notes` go into its `sources` row (the shipped reference copies record their licence);
    `newest_years` keeps only the release's newest N periods (refresh --years)."""
    path = Path(path)
    dataset, rows = read_ehcp_file(path, la)
    release = int(rows["period_code"].max())  # a release is as new as its newest period
    if newest_years:
        keep = sorted(rows["period_code"].unique())[-newest_years:]
        rows = rows[rows["period_code"].isin(keep)]

    def change(b: Build) -> None:
        staged = rows.assign(is_fictional=False, release_period=release, source_id=-1)
        b.con.register("staged_authority_figures", staged)
        newer, older = b.con.execute(sql.load("count_release_overlap")).fetchall()[0]
        said = [notes] if notes else []
        if newer:
            said.append(f"{newer:,} values left out: a newer release already loaded holds them.")
        if older:
            said.append(f"{older:,} values of an older release replaced by this one.")
        sid = b.add_source(
            f"DfE Education, health and care plans: {dataset}",
            "Department for Education (Explore Education Statistics)",
            f"periods {rows.period_code.min()}–{rows.period_code.max()}",
            len(rows), file=path, is_fictional=False, notes=" ".join(said) or None,
        )  # fmt: skip
        b.con.unregister("staged_authority_figures")
        b.con.register("staged_authority_figures", staged.assign(source_id=sid))
        b.con.execute(sql.load("write_upsert_authority_figures"))
        b.con.unregister("staged_authority_figures")

    return rows, change


def load_ehcp_files(db_path: Path, files: list[Path], la: str = "all") -> dict[str, int]:
    """Read every file first (any error stops before the database is touched), then load them
    in one atomic update. Returns rows loaded per file."""
    staged = {str(f): stage_ehcp(Path(f), la) for f in files}

    def change_all(build) -> None:
        for _, change in staged.values():
            change(build)

    update_database(db_path, change_all)
    return {name: len(rows) for name, (rows, _) in staged.items()}
