"""Dates read in English whatever the machine's language: Qt sets the C locale from the desktop's,
and strftime's month names follow it (a French laptop would print "1 septembre 2021" in an English letter)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from mentorapp.dates import day_month, long_date, month_year, short_date, short_time
from mentorapp.evaluation.report import fmt_date
from mentorapp.running.flags import CheckinSignal, PairFacts, flags_for
from mentorapp.running.settings import RunningSettings
from mentorapp.store.backup import BackupFile

ROOT = Path(__file__).resolve().parents[2]
FRENCH = {"%B": "septembre", "%b": "sept.", "%A": "mercredi", "%a": "mer."}


@pytest.fixture
def french_machine(monkeypatch):
    """strftime as it answers under a French locale (date.__format__ calls time.strftime)."""
    real = time.strftime

    def french(fmt: str, *args):
        for directive, word in FRENCH.items():
            fmt = fmt.replace(directive, word)
        return real(fmt, *args)

    monkeypatch.setattr(time, "strftime", french)
    assert f"{dt.date(2021, 9, 1):%B}" == "septembre"  # the fake is in force


def test_dates_people_read_keep_english_month_names_on_a_french_machine(french_machine):
    day = dt.date(2021, 9, 1)
    assert long_date(day) == fmt_date(day) == "1 September 2021"
    assert month_year(day) == "September 2021" and month_year(day, short=True) == "Sep 2021"
    assert day_month(day) == "1 Sep" and short_date(day) == "01 Sep 2021"
    assert short_time(dt.datetime(2021, 9, 1, 14, 5, 9), seconds=True) == "01 Sep 2021 14:05:09"
    assert BackupFile(Path("x.db"), dt.datetime(2026, 11, 25, 9, 14), "daily").label == "25 Nov 2026 09:14 (daily)"


def test_the_reasons_a_pair_is_at_risk_write_dates_as_the_dashboard_does(french_machine):
    facts = PairFacts(
        1,
        dt.date(2021, 9, 1),
        None,
        None,
        (CheckinSignal("mentee", dt.date(2021, 10, 1), dt.date(2021, 10, 2), 1, True),),
    )
    texts = [f.text for f in flags_for(facts, RunningSettings(), dt.date(2021, 11, 20))]
    assert any("after the start on 1 September 2021." in t for t in texts)
    assert any("at the check-in of 1 October 2021." in t for t in texts)
    assert not any("2021-" in t for t in texts)


def test_no_module_formats_a_month_or_weekday_name_with_strftime():
    """%B, %b, %A and %a follow the machine's locale; mentorapp.dates writes the names itself."""
    found = []
    for folder in ("mentorapp", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "dates.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if any(d in line for d in FRENCH) and not line.lstrip().startswith("#"):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []
