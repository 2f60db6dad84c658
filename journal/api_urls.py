"""API routes of the client side, one module of journal/api/ per entity."""

from .api import assessments, checkins, homework, medications, safety

app_name = "journal-api"

urlpatterns = [
    *checkins.urlpatterns,
    *homework.urlpatterns,
    *medications.urlpatterns,
    *assessments.urlpatterns,
    *safety.urlpatterns,
]
