from django.db import migrations


def create_vocabulary(apps, schema_editor):
    from programs.eligibility import VOCABULARY

    Eligibility = apps.get_model("programs", "Eligibility")
    for position, (code, name, _patterns) in enumerate(VOCABULARY):
        Eligibility.objects.update_or_create(
            code=code, defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(create_vocabulary, migrations.RunPython.noop)]
