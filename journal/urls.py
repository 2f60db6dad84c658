"""API routes of the client side: check-ins (api/checkins.py) and care between sessions (api/care.py)."""

from .api import care, checkins

app_name = "journal-api"

urlpatterns = [*checkins.urlpatterns, *care.urlpatterns]
