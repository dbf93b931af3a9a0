"""Recompute every program's stored search text with the one normaliser
(portal.text: NFKC, spaces removed, lower case), so programs stored before it
are found by decomposed or full-width queries too. Writes only what changes."""

from django.db import migrations

from portal.text import compact


def recompute(apps, schema_editor):
    Program = apps.get_model("programs", "Program")
    programs = Program.objects.select_related("area").prefetch_related(
        "milestones", "contact_links__desk"
    )
    changed = []
    for program in programs:
        desks = [link.desk for link in program.contact_links.all()]
        parts = (
            program.name,
            program.area.name,
            program.target,
            *(m.label for m in program.milestones.all()),
            *(" ".join(p for p in (d.organization, d.team) if p) for d in desks),
        )
        text = compact(" ".join(part for part in parts if part))
        if text != program.search_text:
            program.search_text = text
            changed.append(program)
    Program.objects.bulk_update(changed, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_link_is_web_address"),
        ("schedules", "0001_initial"),
        ("contacts", "0002_link_is_web_address"),
    ]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
