"""Quarterly capex, ocf and rpo series from real SEC companyfacts files.

Every expected quarter below is computed by hand from the raw year-to-date facts of the file,
which are written out with the filing (accession number, form, filing date) they come from.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from watcher.sources.errors import FeedParseError
from watcher.sources.sec_facts import (
    CAPEX_TAGS,
    CompanyFacts,
    QuarterFact,
    fiscal_quarter,
    parse_companyfacts,
    quarterly_series,
)

SEC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sec"
PPE = "PaymentsToAcquirePropertyPlantAndEquipment"
PRODUCTIVE = "PaymentsToAcquireProductiveAssets"
OCF = "NetCashProvidedByUsedInOperatingActivities"
RPO = "RevenueRemainingPerformanceObligation"

# (file, fiscal-year end month) by canonical company id.
FILES = {
    "GOOGL": ("companyfacts/CIK0001652044.json", 12),
    "AAPL": ("companyfacts/CIK0000320193.json", 9),
    "AMZN": ("companyfacts-2022/CIK0001018724.json", 12),
    "MSFT": ("companyfacts-2022/CIK0000789019.json", 6),
    "META": ("companyfacts-2022/CIK0001326801.json", 12),
}

needs_data = pytest.mark.skipif(not SEC.is_dir(), reason=f"shared SEC data not found at {SEC}")


@cache
def facts_of(company: str) -> CompanyFacts:
    return parse_companyfacts((SEC / FILES[company][0]).read_bytes())


def series(company: str, metric: str, as_of: date | None = None) -> dict[str, QuarterFact]:
    quarters = quarterly_series(
        facts_of(company),
        company=company,
        metric=metric,
        fiscal_year_end_month=FILES[company][1],
        as_of=as_of,
    )
    return {q.period: q for q in quarters}


# --- Alphabet (companyfacts/, calendar fiscal year) ----------------------------------------


@needs_data
def test_alphabet_capex_2025_from_ytd_facts():
    # PaymentsToAcquirePropertyPlantAndEquipment, fiscal year 2025 (start 2025-01-01):
    q1 = 17_197_000_000  # to 2025-03-31, 10-Q 0001652044-25-000043 filed 2025-04-25
    h1 = 39_643_000_000  # to 2025-06-30, 10-Q 0001652044-25-000062 filed 2025-07-24
    m9 = 63_596_000_000  # to 2025-09-30, 10-Q 0001652044-25-000091 filed 2025-10-30
    fy = 91_447_000_000  # to 2025-12-31, 10-K 0001652044-26-000018 filed 2026-02-05
    s = series("GOOGL", "capex")

    assert s["FY2025-Q1"].value == q1 and not s["FY2025-Q1"].derived
    assert s["FY2025-Q2"].value == h1 - q1 == 22_446_000_000
    assert s["FY2025-Q3"].value == m9 - h1 == 23_953_000_000
    q4 = s["FY2025-Q4"]
    assert q4.value == fy - m9 == 27_851_000_000
    assert (q4.start, q4.end) == (date(2025, 10, 1), date(2025, 12, 31))
    assert q4.derived and q4.tag == PPE and q4.currency == "USD"
    assert (q4.accn, q4.filed) == ("0001652044-26-000018", date(2026, 2, 5))
    assert all(s[f"FY2025-Q{n}"].derived for n in (2, 3, 4))


@needs_data
def test_alphabet_ocf_2025_from_ytd_facts():
    # NetCashProvidedByUsedInOperatingActivities, fiscal year 2025, same filings as above.
    q1, h1, m9, fy = 36_150_000_000, 63_897_000_000, 112_311_000_000, 164_713_000_000
    s = series("GOOGL", "ocf")
    assert s["FY2025-Q1"].value == q1
    assert s["FY2025-Q2"].value == h1 - q1
    assert s["FY2025-Q3"].value == m9 - h1
    assert s["FY2025-Q4"].value == fy - m9 == 52_402_000_000


@needs_data
def test_alphabet_rpo_is_an_instant_per_quarter():
    s = series("GOOGL", "rpo")
    # RevenueRemainingPerformanceObligation at each quarter end, as reported.
    expected = {
        "FY2025-Q3": (date(2025, 9, 30), 157_700_000_000, "0001652044-25-000091"),
        "FY2025-Q4": (date(2025, 12, 31), 242_800_000_000, "0001652044-26-000018"),
        "FY2026-Q1": (date(2026, 3, 31), 467_600_000_000, "0001652044-26-000048"),
    }
    for period, (end, value, accn) in expected.items():
        q = s[period]
        assert (q.start, q.end, q.value, q.accn, q.derived) == (None, end, value, accn, False)
        assert q.tag == RPO


@needs_data
def test_alphabet_restated_quarter_keeps_first_and_last_value():
    # Capex for 2016-01-01..2016-03-31: 2,428M in the 10-Q 0001652044-16-000021 (2016-05-03),
    # restated to 2,444M in the 10-Q 0001652044-17-000014 (2017-05-02).
    q = series("GOOGL", "capex")["FY2016-Q1"]
    assert (q.first_value, q.first_accn, q.first_filed) == (
        2_428_000_000,
        "0001652044-16-000021",
        date(2016, 5, 3),
    )
    assert (q.value, q.accn, q.filed) == (2_444_000_000, "0001652044-17-000014", date(2017, 5, 2))


@needs_data
def test_alphabet_fourth_quarter_never_mixes_vintages():
    # FY2015 capex: nine months 7,815M (10-Q 0001652044-15-000005, 2015-10-29), restated to
    # 7,848M (10-Q 0001652044-16-000038, 2016-11-03); full year 9,915M (10-K 2016-02-11),
    # restated to 9,950M (10-K 0001652044-17-000008, 2017-02-03). Q4 as first filed is
    # 9,915 - 7,815; as last filed 9,950 - 7,848, never the original 9,915 - restated 7,848.
    q = series("GOOGL", "capex")["FY2015-Q4"]
    assert q.derived
    assert (q.first_value, q.first_accn) == (2_100_000_000, "0001652044-16-000012")
    assert q.value == 2_102_000_000 != 9_915_000_000 - 7_848_000_000
    assert q.filed >= date(2017, 2, 3)

    # Between the two restatements only the nine months are restated: the quarter stays on
    # the original basis rather than subtracting the restated nine months from it.
    between = series("GOOGL", "capex", as_of=date(2016, 12, 1))["FY2015-Q4"]
    assert (between.value, between.accn) == (2_100_000_000, "0001652044-16-000022")
    after = series("GOOGL", "capex", as_of=date(2017, 2, 3))["FY2015-Q4"]
    assert (after.value, after.accn) == (2_102_000_000, "0001652044-17-000008")


@needs_data
def test_alphabet_as_of_sees_only_what_was_filed():
    s = series("GOOGL", "capex", as_of=date(2016, 6, 1))
    assert s["FY2016-Q1"].value == s["FY2016-Q1"].first_value == 2_428_000_000
    assert s["FY2016-Q1"].accn == "0001652044-16-000021"
    assert max(s, key=lambda p: s[p].end) == "FY2016-Q1"
    assert all(q.filed <= date(2016, 6, 1) for q in s.values())

    # The day before the 2025 10-K, FY2025-Q4 does not exist yet.
    before_10k = series("GOOGL", "capex", as_of=date(2026, 2, 4))
    assert "FY2025-Q3" in before_10k and "FY2025-Q4" not in before_10k


# --- Apple (companyfacts/, fiscal year ends late September) --------------------------------


@needs_data
def test_apple_capex_fiscal_2025_and_labels():
    # PaymentsToAcquirePropertyPlantAndEquipment, fiscal 2025 (start 2024-09-29):
    q1 = 2_940_000_000  # to 2024-12-28, 10-Q 0000320193-25-000008 filed 2025-01-31
    h1 = 6_011_000_000  # to 2025-03-29, 10-Q 0000320193-25-000057 filed 2025-05-02
    m9 = 9_473_000_000  # to 2025-06-28, 10-Q 0000320193-25-000073 filed 2025-08-01
    fy = 12_715_000_000  # to 2025-09-27, 10-K 0000320193-25-000079 filed 2025-10-31
    s = series("AAPL", "capex")
    assert s["FY2025-Q1"].end == date(2024, 12, 28) and s["FY2025-Q1"].value == q1
    assert s["FY2025-Q2"].value == h1 - q1 == 3_071_000_000
    assert s["FY2025-Q3"].value == m9 - h1 == 3_462_000_000
    q4 = s["FY2025-Q4"]
    assert q4.value == fy - m9 == 3_242_000_000
    assert (q4.start, q4.end) == (date(2025, 6, 29), date(2025, 9, 27))
    # The quarter ending late December is the first of the next fiscal year:
    # 2025-09-28..2025-12-27, 10-Q 0000320193-26-000006 filed 2026-01-30.
    q = s["FY2026-Q1"]
    assert (q.start, q.end, q.value, q.derived) == (
        date(2025, 9, 28),
        date(2025, 12, 27),
        2_373_000_000,
        False,
    )


@needs_data
def test_apple_ocf_fiscal_2025():
    # NetCashProvidedByUsedInOperatingActivities, fiscal 2025, same filings as the capex test.
    q1, h1, m9, fy = 29_935_000_000, 53_887_000_000, 81_754_000_000, 111_482_000_000
    s = series("AAPL", "ocf")
    assert s["FY2025-Q1"].value == q1
    assert s["FY2025-Q2"].value == h1 - q1
    assert s["FY2025-Q3"].value == m9 - h1
    assert s["FY2025-Q4"].value == fy - m9 == 29_728_000_000


@needs_data
def test_apple_capex_tag_moved_from_productive_assets_to_ppe():
    # 2013-09-29..2013-12-28 (fiscal 2014 Q1): 1,985M as PaymentsToAcquireProductiveAssets in
    # the 10-Q 0001193125-14-024487 (2014-01-28), then as PaymentsToAcquirePropertyPlantAnd-
    # Equipment in the 10-Q 0001193125-15-023697 (2015-01-28). One value, never 2 x 1,985M.
    q = series("AAPL", "capex")["FY2014-Q1"]
    assert (q.value, q.tag, q.accn) == (1_985_000_000, PPE, "0001193125-15-023697")
    assert (q.first_value, q.first_accn) == (1_985_000_000, "0001193125-14-024487")
    then = series("AAPL", "capex", as_of=date(2014, 12, 31))["FY2014-Q1"]
    assert (then.value, then.tag) == (1_985_000_000, PRODUCTIVE)


# --- Amazon (companyfacts-2022/, capex as productive assets) -------------------------------


@needs_data
def test_amazon_capex_2021_productive_assets():
    # PaymentsToAcquireProductiveAssets, 2021 (start 2021-01-01):
    q1 = 12_082_000_000  # to 2021-03-31, 10-Q 0001018724-21-000010 filed 2021-04-30
    h1 = 26_370_000_000  # to 2021-06-30, 10-Q 0001018724-21-000020 filed 2021-07-30
    m9 = 42_118_000_000  # to 2021-09-30, 10-Q 0001018724-21-000028 filed 2021-10-29
    fy = 61_053_000_000  # to 2021-12-31, 10-K 0001018724-22-000005 filed 2022-02-04
    s = series("AMZN", "capex")
    assert {s[f"FY2021-Q{n}"].tag for n in range(1, 5)} == {PRODUCTIVE}
    # Amazon also reports the three months directly; they agree with the YTD differences.
    assert s["FY2021-Q2"].value == h1 - q1 == 14_288_000_000
    assert s["FY2021-Q3"].value == m9 - h1 == 15_748_000_000
    assert s["FY2021-Q4"].value == fy - m9 == 18_935_000_000 and s["FY2021-Q4"].derived


@needs_data
def test_amazon_ocf_2021_and_trailing_twelve_months_ignored():
    # NetCashProvidedByUsedInOperatingActivities, 2021, same filings as the capex test.
    q1, h1, m9, fy = 4_213_000_000, 16_928_000_000, 24_241_000_000, 46_327_000_000
    s = series("AMZN", "ocf")
    assert s["FY2021-Q2"].value == h1 - q1
    assert s["FY2021-Q3"].value == m9 - h1
    assert s["FY2021-Q4"].value == fy - m9 == 22_086_000_000
    # Amazon's 10-Qs also carry trailing-twelve-month values (2015-04-01..2016-03-31: 11,258M);
    # a twelve-month span that ends at Q1 is not a fiscal year and must not be read as one.
    # Q1 2016 is its three-month value: -2,160M in 10-Q 0001018724-16-000227 (2016-04-29),
    # restated to -1,953M in 10-Q 0001018724-17-000051 (2017-04-28).
    q = s["FY2016-Q1"]
    assert (q.first_value, q.value) == (-2_160_000_000, -1_953_000_000)
    assert q.first_accn == "0001018724-16-000227" and q.accn == "0001018724-17-000051"


@needs_data
def test_amazon_derived_second_quarter_2019():
    # PaymentsToAcquireProductiveAssets, 2019: Q1 3,290M (10-Q 0001018724-19-000043),
    # six months 6,852M (10-Q 0001018724-19-000071), nine months 11,549M
    # (10-Q 0001018724-19-000089), year 16,861M (10-K 0001018724-20-000004).
    s = series("AMZN", "capex")
    assert s["FY2019-Q2"].value == 6_852_000_000 - 3_290_000_000
    assert s["FY2019-Q3"].value == 11_549_000_000 - 6_852_000_000
    assert s["FY2019-Q4"].value == 16_861_000_000 - 11_549_000_000


# --- Microsoft (companyfacts-2022/, fiscal year ends June) ---------------------------------


@needs_data
def test_microsoft_capex_fiscal_2021_and_2022():
    # PaymentsToAcquirePropertyPlantAndEquipment, fiscal 2021 (start 2020-07-01):
    m9 = 14_170_000_000  # to 2021-03-31, 10-Q 0001564590-21-020891 filed 2021-04-27
    fy = 20_622_000_000  # to 2021-06-30, 10-K 0001564590-21-039151 filed 2021-07-29
    # fiscal 2022 (start 2021-07-01):
    q1_22 = 5_810_000_000  # to 2021-09-30, 10-Q 0001564590-21-051992 filed 2021-10-26
    h1_22 = 11_675_000_000  # to 2021-12-31, 10-Q 0001564590-22-002324 filed 2022-01-25
    m9_22 = 17_015_000_000  # to 2022-03-31, 10-Q 0001564590-22-015675 filed 2022-04-26
    s = series("MSFT", "capex")
    q4 = s["FY2021-Q4"]
    assert q4.value == fy - m9 == 6_452_000_000 and q4.derived
    assert (q4.start, q4.end) == (date(2021, 4, 1), date(2021, 6, 30))
    assert s["FY2022-Q1"].end == date(2021, 9, 30) and s["FY2022-Q1"].value == q1_22
    # The quarter ending 2021-12-31 is Microsoft's fiscal 2022 Q2.
    q2 = s["FY2022-Q2"]
    assert (q2.start, q2.end) == (date(2021, 10, 1), date(2021, 12, 31))
    assert q2.value == h1_22 - q1_22 == 5_865_000_000
    assert s["FY2022-Q3"].value == m9_22 - h1_22 == 5_340_000_000


@needs_data
def test_microsoft_ocf_fiscal_2021_and_2022():
    # NetCashProvidedByUsedInOperatingActivities, same filings as the capex test.
    h1, m9, fy = 31_851_000_000, 54_030_000_000, 76_740_000_000  # fiscal 2021
    q1_22, h1_22 = 24_540_000_000, 39_020_000_000  # fiscal 2022
    s = series("MSFT", "ocf")
    assert s["FY2021-Q3"].value == m9 - h1
    assert s["FY2021-Q4"].value == fy - m9 == 22_710_000_000
    assert s["FY2022-Q2"].value == h1_22 - q1_22 == 14_480_000_000


@needs_data
def test_microsoft_rpo_labels():
    s = series("MSFT", "rpo")
    assert s["FY2022-Q2"].end == date(2021, 12, 31) and s["FY2022-Q2"].start is None
    assert s["FY2021-Q4"].end == date(2021, 6, 30)


# --- Meta (companyfacts-2022/) -------------------------------------------------------------


@needs_data
def test_meta_capex_2021_with_restated_first_quarter():
    # PaymentsToAcquirePropertyPlantAndEquipment, 2021 (start 2021-01-01):
    q1_first = 4_272_000_000  # to 2021-03-31, 10-Q 0001326801-21-000033 filed 2021-04-29
    q1_last = 4_303_000_000  # same period restated, 10-Q 0001326801-22-000057 filed 2022-04-28
    h1 = 8_884_000_000  # to 2021-06-30, 10-Q 0001326801-21-000049 filed 2021-07-29
    m9 = 13_198_000_000  # to 2021-09-30, 10-Q 0001326801-21-000065 filed 2021-10-26
    fy = 18_567_000_000  # to 2021-12-31, 10-K 0001326801-22-000018 filed 2022-02-03
    s = series("META", "capex")
    q1 = s["FY2021-Q1"]
    assert (q1.first_value, q1.value) == (q1_first, q1_last)
    # Q2 = H1 - Q1 with both as they stood on one day: H1 was never restated, so the Q1
    # restatement of 2022 is not subtracted from the original H1 (that would shift Q1's
    # restatement into Q2, a figure no filing states).
    q2 = s["FY2021-Q2"]
    assert (q2.first_value, q2.value) == (h1 - q1_first, h1 - q1_first)
    assert (q2.first_accn, q2.first_filed) == ("0001326801-21-000049", date(2021, 7, 29))
    assert (q2.accn, q2.filed) == ("0001326801-21-000049", date(2021, 7, 29))
    assert s["FY2021-Q3"].value == m9 - h1
    assert s["FY2021-Q4"].value == fy - m9 == 5_369_000_000

    then = series("META", "capex", as_of=date(2021, 12, 31))
    assert then["FY2021-Q1"].value == q1_first
    assert then["FY2021-Q2"].value == h1 - q1_first
    assert "FY2021-Q4" not in then


@needs_data
def test_meta_ocf_2021():
    # NetCashProvidedByUsedInOperatingActivities, same filings as the capex test.
    q1, h1, m9, fy = 12_242_000_000, 25_489_000_000, 39_579_000_000, 57_683_000_000
    s = series("META", "ocf")
    assert s["FY2021-Q2"].value == h1 - q1
    assert s["FY2021-Q3"].value == m9 - h1
    assert s["FY2021-Q4"].value == fy - m9 == 18_104_000_000


@needs_data
@pytest.mark.parametrize("company", sorted(FILES))
def test_series_are_ordered_and_well_formed(company: str):
    for metric in facts_of(company).metrics():
        quarters = list(series(company, metric).values())
        ends = [q.end for q in quarters]
        assert ends == sorted(ends) and len(set(ends)) == len(ends)
        for q in quarters:
            assert q.first_filed <= q.filed
            if metric == "rpo":
                assert q.start is None and not q.derived
            else:
                assert q.start is not None and 80 <= (q.end - q.start).days + 1 <= 100


@needs_data
def test_meta_and_apple_have_no_rpo():
    assert "rpo" not in facts_of("META").metrics()
    assert series("AAPL", "rpo") == {}


# --- synthetic companyfacts ----------------------------------------------------------------


def fact(start: str | None, end: str, val: int, accn: str, filed: str, **extra) -> dict:
    item = {"end": end, "val": val, "accn": accn, "filed": filed, "form": "10-Q", **extra}
    if start:
        item["start"] = start
    return item


def body(tags: dict[str, list[dict]]) -> dict:
    gaap = {tag: {"label": tag, "units": {"USD": items}} for tag, items in tags.items()}
    return {"cik": 1, "entityName": "Example Corp", "facts": {"us-gaap": gaap}}


def quarters(tags: dict[str, list[dict]], metric: str = "capex", month: int = 12, **kw):
    facts = parse_companyfacts(body(tags))
    found = quarterly_series(facts, company="X", metric=metric, fiscal_year_end_month=month, **kw)
    return {q.period: q for q in found}


def test_a_missing_ytd_piece_leaves_the_quarter_out():
    s = quarters(
        {
            PPE: [
                fact("2024-01-01", "2024-03-31", 10, "a-1", "2024-04-30"),
                # no six-month value: neither Q2 nor Q3 can be derived
                fact("2024-01-01", "2024-09-30", 45, "a-3", "2024-10-30"),
                fact("2024-01-01", "2024-12-31", 70, "a-4", "2025-02-01"),
            ]
        }
    )
    assert sorted(s) == ["FY2024-Q1", "FY2024-Q4"]
    assert s["FY2024-Q4"].value == 25


def test_ytd_values_of_different_fiscal_years_are_never_subtracted():
    s = quarters(
        {
            PPE: [
                fact("2023-01-01", "2023-06-30", 30, "a-1", "2023-07-30"),
                fact("2024-01-01", "2024-09-30", 45, "a-2", "2024-10-30"),
                # a span of ~6 months ending at Q3 is no YTD value (it starts mid-year)
                fact("2024-04-01", "2024-09-30", 25, "a-3", "2024-10-30"),
                # twelve months ending at Q1 (trailing twelve months) is no fiscal year
                fact("2023-04-01", "2024-03-31", 99, "a-4", "2024-04-30"),
            ]
        }
    )
    assert s == {}


def test_two_tags_for_one_period_are_never_added():
    s = quarters(
        {
            PRODUCTIVE: [fact("2024-01-01", "2024-03-31", 10, "a-1", "2024-04-30")],
            PPE: [
                fact("2024-01-01", "2024-03-31", 10, "a-2", "2025-04-30"),
                fact("2024-04-01", "2024-06-30", 12, "a-3", "2024-07-30"),
            ],
            "PaymentsToAcquireOtherPropertyPlantAndEquipment": [
                fact("2024-04-01", "2024-06-30", 3, "a-3", "2024-07-30")
            ],
        }
    )
    # Q1: the tag of the latest filing; the first filing (under the old tag) stays first_*.
    assert (s["FY2024-Q1"].value, s["FY2024-Q1"].tag, s["FY2024-Q1"].first_accn) == (
        10,
        PPE,
        "a-1",
    )
    # Q2: both tags in one filing; the tie goes to the first of CAPEX_TAGS, not 12 + 3.
    assert (s["FY2024-Q2"].value, s["FY2024-Q2"].tag) == (12, CAPEX_TAGS[0])


def test_one_filing_with_two_values_for_a_period_is_ambiguous():
    s = quarters(
        {
            PPE: [
                fact("2024-01-01", "2024-03-31", 10, "a-1", "2024-04-30"),
                fact("2024-01-01", "2024-03-31", 11, "a-1", "2024-04-30"),
                fact("2024-04-01", "2024-06-30", 12, "a-2", "2024-07-30"),
            ]
        }
    )
    assert sorted(s) == ["FY2024-Q2"]


def test_synthetic_restatement_and_as_of():
    tags = {
        OCF: [
            fact("2024-07-01", "2024-09-30", 100, "a-1", "2024-10-30"),
            fact("2024-07-01", "2024-12-31", 250, "a-2", "2025-01-30"),
            # the 2025 10-Q restates the prior year's six months (but not its first quarter)
            fact("2024-07-01", "2024-12-31", 260, "b-2", "2026-01-30"),
            # ... and a later filing restates both on the same basis
            fact("2024-07-01", "2024-09-30", 104, "c-1", "2026-04-30"),
            fact("2024-07-01", "2024-12-31", 262, "c-1", "2026-04-30"),
        ]
    }
    s = quarters(tags, metric="ocf", month=6)
    q2 = s["FY2025-Q2"]
    assert (q2.first_value, q2.first_accn, q2.value, q2.accn) == (150, "a-2", 158, "c-1")
    # With only the six months restated, the pieces are not mixed: the last consistent pair.
    mixed = quarters(tags, metric="ocf", month=6, as_of=date(2026, 2, 1))["FY2025-Q2"]
    assert (mixed.value, mixed.accn) == (150, "a-2")
    old = quarters(tags, metric="ocf", month=6, as_of=date(2025, 6, 1))["FY2025-Q2"]
    assert (old.value, old.first_value, old.accn) == (150, 150, "a-2")
    assert quarters(tags, metric="ocf", month=6, as_of=date(2024, 12, 31)).keys() == {"FY2025-Q1"}


def test_53_week_years_are_labelled_by_their_fiscal_calendar():
    s = quarters(
        {
            PPE: [
                # a 14-week first quarter and a 53-week year ending 2023-09-30
                fact("2022-09-25", "2022-12-31", 14, "a-1", "2023-02-01"),
                fact("2022-09-25", "2023-04-01", 27, "a-2", "2023-05-01"),
                fact("2022-09-25", "2023-07-01", 40, "a-3", "2023-08-01"),
                fact("2022-09-25", "2023-09-30", 53, "a-4", "2023-11-01"),
            ]
        },
        month=9,
    )
    assert {p: q.value for p, q in s.items()} == {
        "FY2023-Q1": 14,
        "FY2023-Q2": 13,
        "FY2023-Q3": 13,
        "FY2023-Q4": 13,
    }


@pytest.mark.parametrize(
    ("end", "month", "expected"),
    [
        (date(2021, 12, 31), 6, (2022, 2)),
        (date(2022, 6, 30), 6, (2022, 4)),
        (date(2024, 12, 28), 9, (2025, 1)),
        (date(2023, 9, 30), 9, (2023, 4)),
        (date(2024, 1, 28), 1, (2024, 4)),
        (date(2021, 1, 2), 12, (2020, 4)),  # a 52/53-week year ending early January
        (date(2024, 11, 30), 12, None),  # not a quarter end
        (date(2024, 12, 15), 12, None),  # mid-month
    ],
)
def test_fiscal_quarter(end: date, month: int, expected):
    assert fiscal_quarter(end, month) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"<html>not json</html>",
        b"",
        b"[1, 2]",
        b'{"cik": 1652044, "filings": {}}',
        {"facts": {"us-gaap": []}},
        {"facts": {"us-gaap": {PPE: {"units": {"USD": [{"end": "2024-03-31"}]}}}}},
        {"facts": {"us-gaap": {OCF: {"units": {"USD": [fact(None, "nodate", 1, "a", "x")]}}}}},
        {"facts": {"us-gaap": {RPO: {"label": "no units"}}}},
    ],
)
def test_a_bad_body_raises_feed_parse_error(data):
    with pytest.raises(FeedParseError):
        parse_companyfacts(data)


def test_parse_accepts_bytes_and_ignores_other_tags():
    raw = json.dumps(body({"Revenues": [fact("2024-01-01", "2024-03-31", 5, "a", "2024-04-30")]}))
    facts = parse_companyfacts(raw.encode())
    assert (facts.cik, facts.entity_name, facts.metrics()) == (1, "Example Corp", [])


def test_unknown_metric_is_an_error():
    with pytest.raises(ValueError, match="unknown metric"):
        quarters({}, metric="revenue")
