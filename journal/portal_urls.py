"""Portal routes of the client side, one module of journal/views/ per entity."""

from .views import assessments, checkins, homework, medications

app_name = "journal"

urlpatterns = [
    *checkins.urlpatterns,
    *homework.urlpatterns,
    *medications.urlpatterns,
    *assessments.urlpatterns,
]
