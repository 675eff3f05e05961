"""Which column of the file goes into which field: suggested, read from a mapping file, and
remembered per cohort so next year's form maps itself."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.importing.cells import Cell, cell_text
from mentorapp.importing.fields import IGNORE, LABELS, TARGET_KEYS, auto_map, normalise_header
from mentorapp.importing.plan_data import ImportOptions, ImportPlan
from mentorapp.importing.reconcile import NEW, ValueMapping, saved_values
from mentorapp.people.cohorts import update_settings
from mentorapp.store.models import Cohort

SETTINGS_KEY = "import_mapping"


def saved_settings(session: Session, cohort_id: int) -> tuple[dict[str, str], ImportOptions]:
    """The columns and options the cohort's last import used."""
    cohort = session.get(Cohort, cohort_id)
    stored = (cohort.settings or {}).get(SETTINGS_KEY, {}) if cohort else {}
    columns = stored.get("columns", {}) if isinstance(stored, dict) else {}
    clean = {str(k): str(f) for k, f in columns.items() if f in TARGET_KEYS or f == IGNORE}
    return clean, ImportOptions.from_json(stored.get("options") if isinstance(stored, dict) else None)


def suggest_mapping(headers: Sequence[str], preview: Sequence[Sequence[Cell]], saved: dict[str, str]) -> list[str]:
    samples = [[cell_text(c) for c in row] for row in preview]
    return auto_map(headers, saved, samples)


def load_mapping_file(path: str | Path, headers: Sequence[str], fallback: Sequence[str]) -> list[str]:
    """A JSON mapping {"Header": "field" or null} over the automatic one."""
    path = Path(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise UserError(f"The mapping file {path} cannot be read: {exc.strerror or exc}.") from exc
    except ValueError as exc:
        raise UserError(f"The mapping file {path.name} is not valid JSON ({exc}).") from exc
    if isinstance(data, dict) and isinstance(data.get("mapping"), dict):
        data = data["mapping"]
    if not isinstance(data, dict):
        raise UserError(f"The mapping file {path.name} must be an object of column header to field name.")
    by_norm = {normalise_header(str(k)): val for k, val in data.items()}
    fields = list(fallback)
    known = {normalise_header(h) for h in headers}
    for header in data:
        if normalise_header(str(header)) not in known:
            raise UserError(
                f"The mapping file {path.name} names a column '{header}' that the spreadsheet does not have."
            )
    for i, header in enumerate(headers):
        norm = normalise_header(header)
        if norm not in by_norm:
            continue
        value = by_norm[norm]
        target = IGNORE if value in (None, "", IGNORE) else str(value)
        if target not in TARGET_KEYS and target != IGNORE:
            raise UserError(f"'{value}' in {path.name} is not a field; use one of: {', '.join(TARGET_KEYS)}.")
        if target != IGNORE:
            fields = [IGNORE if f == target and j != i else f for j, f in enumerate(fields)]
        fields[i] = target
    return fields


def remember_mapping(s: Session, plan: ImportPlan) -> None:
    """Remember the mapping per cohort, so next year's form maps itself: its columns, its options
    and the value choices that needed a decision (confirmed, accepted or added as new)."""
    columns, _options = saved_settings(s, plan.cohort_id)
    for header, target in zip(plan.headers, plan.fields):
        if not header.startswith("Column "):
            columns[normalise_header(header)] = target
    cohort = s.get(Cohort, plan.cohort_id)
    values = saved_values(cohort).merged(decided_values(plan)).to_json()
    stored = {"columns": columns, "options": plan.options.to_json(), "values": values}
    update_settings(s, plan.cohort_id, **{SETTINGS_KEY: stored})


def decided_values(plan: ImportPlan) -> ValueMapping:
    """The value choices of a plan that were not plain spelling: what next year's form should reuse."""
    decided = ValueMapping()
    for col in plan.values:
        for p in col.proposals:
            found, scheme = plan.resolution.lookup(col.field, p.value)
            if found and (p.method not in ("exact", "normalised", "rule", "as written") or scheme is NEW):
                decided.set(col.field, p.value, scheme)
    return decided


def describe_mapping(plan: ImportPlan) -> list[tuple[str, str]]:
    return [(h, LABELS.get(f, f)) for h, f in zip(plan.headers, plan.fields)]
