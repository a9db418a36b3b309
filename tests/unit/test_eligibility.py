"""Who can be drawn on the inspection dates, and the reason shown when not."""

from datetime import date, timedelta

from hypothesis import given, strategies as st

from app.domain.eligibility import CertificateFact, PeriodFact, status_on, unavailability

DAY = date(2026, 11, 23)
VALID = CertificateFact("行政执法证", "41990001", date(2028, 1, 1))


def test_valid_certificate_and_no_leave_is_eligible():
    assert unavailability("行政执法类公务员", [VALID], [], DAY) == []


def test_expired_certificate_says_when():
    expired = CertificateFact("行政执法证", "41990002", date(2026, 10, 1))
    assert unavailability("行政执法类公务员", [expired], [], DAY) == ["执法证已于 2026-10-01 到期"]


def test_certificate_expiring_during_the_inspection_window():
    ending = CertificateFact("行政执法证", "41990003", date(2026, 11, 30))
    reasons = unavailability("行政执法类公务员", [ending], [], DAY, date(2026, 12, 10))
    assert reasons == ["执法证将于 2026-11-30 到期，早于检查结束"]


def test_no_certificate_but_expert_is_fine():
    assert unavailability("行政执法类公务员", [], [], DAY) == ["无行政执法证"]
    assert unavailability("专家", [], [], DAY) == []


def test_leave_overlapping_the_dates():
    leave = PeriodFact("请假", date(2026, 11, 20), date(2026, 11, 25))
    assert unavailability("行政执法类公务员", [VALID], [leave], DAY) == ["请假：2026-11-20 至 2026-11-25"]
    assert unavailability("行政执法类公务员", [VALID], [leave], date(2026, 11, 26)) == []
    assert status_on([leave], DAY) == "请假"
    assert status_on([leave], date(2026, 12, 1)) == "在岗"


def test_open_ended_transfer():
    moved = PeriodFact("调离", date(2026, 1, 1), None)
    assert unavailability("行政执法类公务员", [VALID], [moved], DAY) == ["调离：2026-01-01 （未定结束日期）"]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 1, 1)), st.integers(0, 400), st.integers(-30, 430))
def test_a_period_blocks_exactly_the_days_it_covers(start, length, probe_offset):
    period = PeriodFact("请假", start, start + timedelta(days=length))
    probe = start + timedelta(days=probe_offset)
    blocked = bool(unavailability("专家", [], [period], probe))
    assert blocked == (period.starts_on <= probe <= period.ends_on)
