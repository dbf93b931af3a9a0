"""A program's eligibility tags, which Django changes without save or delete
signals: its many-to-many table is auto-created, and Django sends neither for
such rows. These handlers record them from the signals that do come: the m2m
API's (the admin's checkboxes) and the deletion of a program or a tag, which
takes the tag rows with it."""

from history.context import record_bulk, record_deleted
from programs.models import Program

Tags = Program.eligibility.through


def _rows(instance, reverse, pk_set=None):
    if reverse:  # tag.programs.…: `instance` is a tag, pk_set programs
        rows = Tags.objects.filter(eligibility_id=instance.pk)
        return rows.filter(program_id__in=pk_set) if pk_set is not None else rows
    rows = Tags.objects.filter(program_id=instance.pk)
    return rows.filter(eligibility_id__in=pk_set) if pk_set is not None else rows


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "post_add" and pk_set:
        record_bulk(Tags, list(_rows(instance, reverse, pk_set)), update=False)
    elif action == "pre_remove" and pk_set:
        record_deleted(Tags, _rows(instance, reverse, pk_set))
    elif action == "pre_clear":
        record_deleted(Tags, _rows(instance, reverse))


def program_deleting(sender, instance, **kwargs):
    record_deleted(Tags, Tags.objects.filter(program_id=instance.pk))


def tag_deleting(sender, instance, **kwargs):
    record_deleted(Tags, Tags.objects.filter(eligibility_id=instance.pk))
