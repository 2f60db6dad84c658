from celery import shared_task

from .jobs import RETRY
from .outbox import outbox_relay


@shared_task(name="accounts.tasks.relay_outbox", ignore_result=True)
def relay_outbox_task() -> int:
    """Sends outbox rows the commit hook could not hand to the broker."""
    return outbox_relay()


# The shared policy with fewer retries: a failed build is marked FAILED for the client.
@shared_task(name="accounts.tasks.build_export", **{**RETRY, "max_retries": 3})
def build_export_task(export_id: int) -> str | None:
    from .exports import export_build
    from .models import DataExport, ExportStatus

    export = DataExport.objects.filter(pk=export_id).select_related("client").first()
    if export is None or export.status == ExportStatus.DONE:
        return None
    try:
        return export_build(export=export).status
    except Exception:
        DataExport.objects.filter(pk=export_id).update(status=ExportStatus.FAILED)
        raise
