"""Limits every way in shares (API serializers, portal forms, services).

The dates the product can use: far enough back for a medication started decades ago, far
enough ahead for any due date, and well inside what date arithmetic can hold (a session
dated 0001-01-01 once made every brief of that client fail).
"""

from datetime import date

from django.utils.translation import gettext as _

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def date_in_range(value: date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


def date_range_message() -> str:
    return _("Use a date between %(start)s and %(end)s.") % {
        "start": EARLIEST_DATE.isoformat(),
        "end": LATEST_DATE.isoformat(),
    }
