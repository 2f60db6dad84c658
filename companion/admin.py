from django.contrib import admin
from django.db import models

from .models import CrisisResource


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "locale", "phone", "sms", "url", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["locale", "is_active"]
    search_fields = ["name", "description", "phone"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
