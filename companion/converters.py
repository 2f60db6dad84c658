"""``<id:pk>`` in URL patterns: a row id, as the database can hold it.

Django's ``<id:...>`` takes any run of digits, and a 25-digit id reached the database
as a number no column can hold (OverflowError on SQLite, "bigint out of range" on
PostgreSQL: a server error). An id here is 1 to 18 ASCII digits, always below 2**63, so
anything longer simply does not match: 404, as for any id that is not yours.
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
