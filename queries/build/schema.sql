-- schema: the inclusion dashboard's DuckDB data model (schema version in dashboard/core/config.py).
-- Grain and meaning of every table are documented in docs/data-model.md.
-- Applied by dashboard.ingest.writer to a fresh file; the app never writes.

create table metadata (
    key varchar primary key,
    value varchar not null
);

create table sources (
    source_id integer primary key,
    dataset varchar not null,           -- what the file is, e.g. "Fictional demo settings"
    publisher varchar not null,
    vintage varchar not null,           -- release or extract date as the publisher states it
    file_name varchar,                  -- null for generated data
    sha256 varchar,                     -- checksum of the file as loaded
    row_count integer not null check (row_count >= 0),
    loaded_at timestamp not null,
    is_fictional boolean not null,
    notes varchar
);

create table districts (
    district_code varchar primary key,  -- ONS local authority district code (E07…)
    district_name varchar not null unique,
    la_code varchar not null           -- DfE LA code of the county, 886 for Kent
);

create table phases (
    phase varchar primary key,          -- product phase, mapped from GIAS phase and type
    sort_order integer not null unique,
    is_mainstream boolean not null,
    in_school_census boolean not null
);

create table academic_years (
    year_code integer primary key,      -- DfE time_period, e.g. 202324
    label varchar not null unique,      -- as shown in the interface, e.g. 2023/24
    census_date date not null,          -- January census day of the year
    note varchar                       -- disruption or definition change that year
);

create table settings (
    urn integer primary key,
    laestab integer,                    -- LA + estab; not unique: a successor may keep it
    name varchar not null,
    establishment_type varchar not null,
    phase varchar not null references phases (phase),
    admissions_policy varchar not null
    check (admissions_policy in ('Selective', 'Non-selective', 'Not applicable')),
    district_code varchar references districts (district_code),  -- null: district unknown
    la_code varchar not null,
    latitude double check (latitude between -90 and 90),
    longitude double check (longitude between -180 and 180),
    open_date date,
    close_date date,
    age_low integer,
    age_high integer,
    sector varchar not null
    check (sector in ('State-funded', 'Independent', 'Further education', 'Non-maintained')),
    resourced_provision boolean not null default false,  -- SEN unit or resourced provision on site
    is_fictional boolean not null,
    source_id integer not null references sources (source_id),
    check (close_date is null or open_date is null or close_date >= open_date),
    check (age_low is null or age_high is null or age_low <= age_high),
    check (admissions_policy <> 'Selective' or phase in ('Secondary', 'All-through'))
);

create table measure_inputs (
    input varchar primary key,          -- e.g. sen_support, persistent_absence, suspensions
    numerator_label varchar not null,
    denominator_label varchar not null,
    counts_events boolean not null     -- numerator counts events, so it may exceed the denominator
);

-- One row per setting × academic year × measure input × breakdown.
-- numerator/denominator are null when the source withheld them; missing_reason keeps why,
-- using DfE's symbols (c, x, z, u, low) or the legacy ones (:, ~, SUPP, NE, NA, ..).
-- Note on foreign keys to settings: DuckDB carries out an update of a referenced row as a
-- delete and insert, so a foreign key would stop a newer GIAS extract from updating a
-- setting's details. Rows here must still name a loaded setting: the loaders guarantee it and
-- tests/unit/test_schema.py checks that no orphan rows exist.
create table setting_facts (
    urn integer not null,  -- a settings.urn (see the note on foreign keys above)
    year_code integer not null references academic_years (year_code),
    input varchar not null references measure_inputs (input),
    breakdown varchar not null check (breakdown in ('all', 'sen_support', 'ehcp', 'no_sen')),
    numerator double check (numerator >= 0),
    denominator double check (denominator >= 0),
    missing_reason varchar,
    source_id integer not null references sources (source_id),
    primary key (urn, year_code, input, breakdown),
    check ((numerator is not null and denominator is not null) or missing_reason is not null)
);

create table inspections (
    inspection_id integer primary key,
    urn integer not null,  -- a settings.urn (see the note on foreign keys above)
    inspection_date date not null,
    inspection_type varchar not null,   -- graded, ungraded, report card, monitoring
    framework varchar not null
    check (framework in ('overall_effectiveness', 'key_judgements', 'report_card')),
    overall_effectiveness integer check (overall_effectiveness between 1 and 4),
    safeguarding_met boolean,           -- report cards only
    graded_follow_up_recommended boolean,  -- ungraded inspections only
    source_id integer not null references sources (source_id),
    check (framework = 'overall_effectiveness' or overall_effectiveness is null)
);

-- Sub-judgements in long form so every framework fits: key judgements on the 1–4 scale,
-- report-card evaluation areas (including inclusion) on the 1–5 scale. No foreign key to
-- inspections, for the reason given at setting_facts: a reloaded inspection is replaced,
-- which DuckDB's foreign keys refuse within one transaction; tests check for orphans.
create table inspection_judgements (
    inspection_id integer not null,  -- an inspections.inspection_id
    area varchar not null,
    grade integer not null,
    grade_label varchar not null,
    scale varchar not null check (scale in ('four_point', 'five_point')),
    primary key (inspection_id, area),
    check (
        (scale = 'four_point' and grade between 1 and 4)
        or (scale = 'five_point' and grade between 1 and 5)
    )
);

create table awards (
    award_id integer primary key,
    urn integer not null,  -- a settings.urn (see the note on foreign keys above)
    scheme varchar not null check (scheme in ('IQM', 'CPLD')),
    level varchar not null,
    award_date date not null,
    expiry_date date,
    source_id integer not null references sources (source_id),
    check (expiry_date is null or expiry_date > award_date),
    check (
        (scheme = 'IQM' and level in ('Standard', 'Centre of Excellence', 'Flagship'))
        or (scheme = 'CPLD' and level in ('Bronze', 'Silver', 'Gold', 'Single level'))
    )
);

-- The real 2014–15 Kent SEND Workforce Reform Pilot register: published facts only.
-- urn stays null until a reviewed match is confirmed; no figures are attached to these names.
create table pilot_awards (
    register_row integer primary key,
    setting_name_as_published varchar not null,
    pilot_phase_group varchar not null,
    scheme varchar not null check (scheme in ('IQM', 'CPLD')),
    level varchar,
    notes varchar,
    urn integer,
    source_id integer not null references sources (source_id)
);

-- Published figures used as comparators, each with its source and vintage.
create table published_figures (
    area_code varchar not null,
    area_name varchar not null,
    area_level varchar not null check (area_level in ('national', 'regional', 'authority')),
    year_code integer not null,
    measure_id varchar not null,
    phase varchar not null,             -- phase the figure covers, e.g. Primary, All schools
    value double not null,
    unit varchar not null,
    source varchar not null,
    vintage varchar not null,
    note varchar,
    primary key (area_code, year_code, measure_id, phase)
);

-- District boundaries, when loaded from an ONS GeoJSON, GeoPackage or shapefile (WGS84).
create table district_boundaries (
    district_code varchar primary key references districts (district_code),
    geometry_geojson varchar not null,
    source_id integer not null references sources (source_id)
);

-- Authority-level figures from DfE's Explore Education Statistics files (EHC plans: caseload,
-- new plans, requests, assessments, 20-week timeliness), in long form, one value per column
-- of the source file. Kept apart from setting-level facts: different grain and source.
create table authority_figures (
    dataset varchar not null,           -- caseload, newplans, requests, assessments, timeliness
    area_code varchar not null,         -- ONS code (E92000001 England, E12…, E10/E06/E08/E09…)
    area_name varchar not null,
    area_level varchar not null check (area_level in ('national', 'regional', 'authority')),
    region_code varchar,
    la_code varchar,                    -- DfE old LA code, e.g. 886
    period_code integer not null,       -- time_period as the file states it
    period_type varchar not null,       -- Academic year (January census) or Calendar year
    breakdown_topic varchar not null,
    breakdown varchar not null,
    indicator varchar not null,         -- source column name, lower case
    value double,
    missing_reason varchar,
    is_fictional boolean not null,
    release_period integer not null,    -- the newest period of the release it came from
    source_id integer not null references sources (source_id),
    primary key (dataset, area_code, period_code, breakdown_topic, breakdown, indicator),
    check (value is not null or missing_reason is not null)
);

-- Disclosure control, decided once over every figure the app can publish and rebuilt by every
-- load (dashboard/statistics/suppression.py). A setting's figure for all pupils (family 'all')
-- or its SEN / no-SEN split (family 'split') listed here is never shown; nor is a group's (one
-- geography × one phase choice). is_primary: hidden for its own small count rather than to
-- protect another; pages never reveal which.
create table suppressed_cells (
    urn integer not null,
    year_code integer not null,
    input varchar not null,
    family varchar not null check (family in ('all', 'split')),
    is_primary boolean not null,
    primary key (urn, year_code, input, family)
);

create table suppressed_groups (
    la_code varchar not null,
    geo varchar not null,               -- a district code, or 'all' for the whole authority
    phase_key varchar not null,         -- a sidebar phase choice (dashboard.core.filters)
    year_code integer not null,
    input varchar not null,
    family varchar not null check (family in ('all', 'split')),
    is_primary boolean not null,
    primary key (la_code, geo, phase_key, year_code, input, family)
);

-- Which settings each phase choice holds (dashboard.core.filters: the sidebar's choices and
-- 'mainstream'), one row per choice × phase × admissions policy. Rebuilt by every load.
create table phase_choices (
    phase_key varchar not null,
    phase varchar not null,
    admissions_policy varchar not null,
    primary key (phase_key, phase, admissions_policy)
);

-- Every authority's inputs summed over its settings of each phase choice, as area_inputs sums
-- them for a whole authority, with whether disclosure control hides the figure (`hidden`,
-- from suppressed_groups). Written by every load after disclosure control is decided, so
-- England and regional comparators sum some 150 authorities' rows, not millions of facts.
create table authority_inputs (
    la_code varchar not null,
    phase_key varchar not null,
    year_code integer not null,
    input varchar not null,
    breakdown varchar not null,
    numerator double,
    denominator double,
    settings integer not null,
    settings_withheld integer not null,
    settings_not_applicable integer not null,
    missing_reasons varchar,
    hidden boolean not null,
    primary key (la_code, phase_key, year_code, input, breakdown)
);

-- Setting facts as the app may show them: a suppressed value is null with reason 'c'.
-- Every query that returns a setting's own value reads this view, never setting_facts;
-- sums over groups read setting_facts and suppressed_groups.
create view published_facts as
select
    f.urn,
    f.year_code,
    f.input,
    f.breakdown,
    case when s.urn is null then f.numerator end as numerator,
    case when s.urn is null then f.denominator end as denominator,
    case when s.urn is null then f.missing_reason else 'c' end as missing_reason,
    s.urn is not null as suppressed,
    f.source_id,
from setting_facts as f
left join suppressed_cells as s
    on s.urn = f.urn
        and s.year_code = f.year_code
        and s.input = f.input
        and s.family = case when f.breakdown = 'all' then 'all' else 'split' end;

-- Published authority-level figures (DfE's LAIT data store) for the "Kent in context" page:
-- an authority beside its statistical neighbours, its region and England. Published
-- percentages without numerators or denominators, so no interval can be drawn from them.
create table authority_items (
    item varchar primary key,           -- LAIT short code, e.g. TotPerAbNew
    title varchar not null,             -- as LAIT's data dictionary states it
    short_title varchar not null,
    theme varchar not null,
    headline boolean not null,          -- shown on the Overview's first screen
    polarity varchar not null check (polarity in ('higher_better', 'lower_better', 'context')),
    unit varchar not null,
    decimals integer not null,
    year_type varchar not null,         -- Academic Year or Calendar Year, as LAIT states it
    definition varchar,
    sort_order integer not null,        -- the order the page offers items in
    source_id integer not null references sources (source_id)
);

create table authority_series (
    item varchar not null references authority_items (item),
    year_label varchar not null,        -- as LAIT labels it: '2024' or '2023/24'
    area_name varchar not null,
    la_code varchar,                    -- DfE 3-digit code; null for a region or England
    area_level varchar not null check (area_level in ('national', 'regional', 'authority')),
    region varchar,                     -- an authority's region
    value double,
    missing_reason varchar,             -- LAIT's symbol when no value is published
    source_id integer not null references sources (source_id),
    primary key (item, area_name, year_label),
    check (value is not null or missing_reason is not null)
);

-- DfE's children's services statistical neighbours: each authority's ten nearest by context
-- (deprivation, population and similar), not by performance.
create table statistical_neighbours (
    la_code varchar not null,
    la_name varchar not null,
    rank integer not null check (rank between 1 and 10),
    neighbour_la_code varchar,          -- blank in a few source cells
    closeness varchar,
    vintage varchar not null,           -- e.g. May 2025
    source_id integer not null references sources (source_id),
    primary key (la_code, rank)
);

-- Predecessor links from the GIAS links file: a school that converts to an academy (or
-- amalgamates, or re-opens) gets a new URN, and its predecessor's years belong to its history.
-- grain: one row per setting × predecessor. Profiles join the predecessor's years with a
-- marked break; comparisons and maps use each year's open settings only, so nobody is
-- counted twice.
create table setting_links (
    urn integer not null,               -- the newer setting
    predecessor_urn integer not null,   -- the setting it replaced
    link_type varchar not null,         -- as GIAS names it: Predecessor, Predecessor - amalgamated…
    link_date date,                     -- GIAS LinkEstablishedDate
    source_id integer not null references sources (source_id),
    primary key (urn, predecessor_urn)
);

-- Every authority and its region (data/reference/authorities.csv, or the demo's own fictional
-- authorities): which authorities make up England and each region, so a comparator computed
-- from school-level rows can say how many of them it covers. grain: one row per authority.
create table authorities (
    la_code varchar primary key,        -- DfE LA code, e.g. 886
    la_name varchar not null,
    area_code varchar,                  -- ONS code, e.g. E10000016
    region_code varchar not null,       -- ONS region code, e.g. E12000008
    region_name varchar not null,
    is_fictional boolean not null,
    source_id integer not null references sources (source_id)
);

-- ONS mid-year population estimates by single year of age (Nomis NM_2002_1), ages 0–25:
-- the population EHC plans serve, so a caseload can be read per 1,000 children and young
-- people. grain: one row per area × mid-year × age. Area codes are ONS (districts, regions,
-- England); an authority's figure is the sum of its districts when it is not loaded itself.
create table population (
    area_code varchar not null,
    area_name varchar not null,
    mid_year integer not null,          -- the estimate's reference year (30 June)
    age integer not null check (age between 0 and 25),
    persons double not null check (persons >= 0),
    source_id integer not null references sources (source_id),
    primary key (area_code, mid_year, age)
);

-- The settings of a selection: one authority, some districts (or any, including settings
-- whose district is unknown), some phases and admissions policies. Every query that reads a
-- selection joins this, so the selection means one thing everywhere. Parameters are named
-- sel_* so they cannot be mistaken for the columns they filter.
create macro selected_settings(
    sel_la_code, sel_districts, sel_any_district, sel_phases, sel_admissions
) as table
    select *
    from settings
    where la_code = sel_la_code
        and (sel_any_district or list_contains(sel_districts, district_code))
        and list_contains(sel_phases, phase)
        and list_contains(sel_admissions, admissions_policy);
