"""One way to write dates and times on every page and in every email (English).

Django's English defaults ("Dec. 1, 2026, 9:35 p.m.") differed from the pages' own
formats ("1 Dec 2026", "21:35"); these make the defaults match. Format strings:
https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date
"""

DATE_FORMAT = "j M Y"  # 1 Dec 2026
TIME_FORMAT = "H:i"  # 21:35
DATETIME_FORMAT = "j M Y, H:i"  # 1 Dec 2026, 21:35
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday, as the homework week and the history calendar
