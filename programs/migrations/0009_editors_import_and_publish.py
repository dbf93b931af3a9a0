"""The 편집자 group may upload the yearly sheet and publish a plan year."""

from django.db import migrations

GROUP_NAME = "편집자"
CODENAMES = ("import_plan", "publish_plan")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure these exist now.
    programs = apps.get_app_config("programs")
    programs.models_module = True
    create_permissions(programs, apps=apps, verbosity=0)
    programs.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="programs", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="programs", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0008_plan_state"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
