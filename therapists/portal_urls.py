from django.urls import path

from . import views

app_name = "therapists"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
