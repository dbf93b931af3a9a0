from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = "변경 이력"

    def ready(self):
        from django.db.models.signals import m2m_changed, pre_delete
        from simple_history.signals import pre_create_historical_record

        from history import context, recorder, signals
        from programs import write_log
        from programs.models import Eligibility, Program

        # Rows written one by one carry the change set, run and reason too.
        pre_create_historical_record.connect(context.stamp_row, dispatch_uid="history.stamp")
        # A program's tags change without save or delete signals (history.signals).
        m2m_changed.connect(
            signals.tags_changed, sender=signals.Tags, dispatch_uid="history.tags_changed"
        )
        pre_delete.connect(
            signals.program_deleting, sender=Program, dispatch_uid="history.program_tags"
        )
        pre_delete.connect(signals.tag_deleting, sender=Eligibility, dispatch_uid="history.tags")
        write_log.connect(recorder.recorder)
