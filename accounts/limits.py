"""Limits every way in shares (API serializers, portal forms, services).

- Dates the product can use: far enough back for a medication started decades ago, far
  enough ahead for any due date, and well inside what date arithmetic can hold (a session
  dated 0001-01-01 once made every brief of that client fail).
- Text: a one-line field (a title, a medication name, a dose) is one line of plain text;
  long text (notes, reflections, instructions) has a length limit and no NUL.

Services raise these as Django ValidationErrors keyed by the field, so the API answers 400
naming it and a portal form shows the message beside it; nothing is stored.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import validate_one_line

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def date_in_range(value: date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


def date_range_message() -> str:
    return _("Use a date between %(start)s and %(end)s.") % {
        "start": EARLIEST_DATE.isoformat(),
        "end": LATEST_DATE.isoformat(),
    }


def field_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def one_line_text(field: str, value: str | None, *, max_length: int, required: bool) -> str:
    """Trimmed; not blank when required; at most ``max_length``; one line of plain text."""
    value = (value or "").strip()
    if required and not value:
        raise field_error(field, _("This field may not be blank."))
    if len(value) > max_length:
        raise field_error(
            field, _("Keep this to %(max)d characters or fewer.") % {"max": max_length}
        )
    try:
        validate_one_line(value)
    except ValidationError as exc:
        raise field_error(field, exc.messages[0]) from exc
    return value


def long_text(field: str, value: str | None, *, max_length: int) -> str:
    """Free text of at most ``max_length`` characters, without NUL (no column can hold it)."""
    value = value or ""
    if len(value) > max_length:
        raise field_error(
            field, _("Keep this to %(max)d characters or fewer.") % {"max": max_length}
        )
    if "\x00" in value:
        raise field_error(field, _("This text contains characters that cannot be stored."))
    return value
