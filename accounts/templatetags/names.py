"""``{{ person.display_name|oneline }}``: a name printed as one line of plain text.

Names are validated as one line on input (``accounts.models.validate_one_line``); this
filter protects every place a name is printed from a name stored before that rule, so a
name can never add a line (a fake header, a link on a line of its own) to an email.
"""

from django import template

from accounts.models import one_line

register = template.Library()
register.filter("oneline", one_line)
