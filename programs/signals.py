"""Keep each program's stored search text true to what feeds it.

`Program.search_text` joins the program's name, its support area's name, its
target, its milestone labels and its contact desks' names, so one indexed
column answers the catalogue's search. Any of those can be edited on its own in
the admin (rename a support area, correct a desk's team); every such save or
delete recomputes the text of the programs it reaches. The save itself bumps
the plan version (programs.versions, connected after these handlers, so the
bump lands after the new text in the same transaction). The importer writes in
bulk, sends no signals, and composes the text itself.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from contacts.models import ContactDesk
from programs.models import Program, ProgramContact, SupportArea
from schedules.models import Milestone

# For each model that feeds the search text: the programs a saved row reaches.
_PROGRAMS_OF = {
    Program: lambda row: Program.objects.filter(pk=row.pk),
    SupportArea: lambda row: Program.objects.filter(area_id=row.pk),
    ContactDesk: lambda row: Program.objects.filter(contact_links__desk_id=row.pk),
    Milestone: lambda row: Program.objects.filter(pk=row.program_id),
    ProgramContact: lambda row: Program.objects.filter(pk=row.program_id),
}


def _refresh(sender, instance, raw=False, **kwargs):
    if raw:
        return  # loaddata: the fixture carries its own search text
    _PROGRAMS_OF[sender](instance).refresh_search_text(bump=False)


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Desks linked through the m2m API (`program.contacts.add(desk)`)."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        Program.objects.filter(pk=instance.pk).refresh_search_text(bump=False)
    elif pk_set:
        Program.objects.filter(pk__in=pk_set).refresh_search_text(bump=False)


def connect() -> None:
    for model in _PROGRAMS_OF:
        uid = f"programs.search_text.{model._meta.label}"
        post_save.connect(_refresh, sender=model, dispatch_uid=uid)
        if model is not Program:
            post_delete.connect(_refresh, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _links_changed, sender=Program.contacts.through, dispatch_uid="programs.search_text.links"
    )
