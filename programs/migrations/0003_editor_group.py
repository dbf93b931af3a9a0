"""The 편집자 (editor) group: what center staff need to keep the plan, no more.

Editors keep programs, their milestones and contact desks, areas and sections.
They may view plans and eligibility tags but not change them (a plan is created
by the import command; tags are the filter vocabulary), and they get nothing
of users, groups or sessions.
"""

from django.db import migrations

GROUP_NAME = "편집자"

PERMISSIONS = {
    "programs": {
        "program": ("add", "change", "delete", "view"),
        "programcontact": ("add", "change", "delete", "view"),
        "supportarea": ("add", "change", "view"),
        "section": ("add", "change", "view"),
        "plan": ("view",),
        "eligibility": ("view",),
    },
    "schedules": {"milestone": ("add", "change", "delete", "view")},
    "contacts": {"contactdesk": ("add", "change", "delete", "view")},
}


def create_editor_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    wanted = []
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    group.permissions.set(wanted)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0002_eligibility_vocabulary"),
        ("schedules", "0001_initial"),
        ("contacts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
