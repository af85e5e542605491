"""Create the "Breed curators" group with the permissions curation needs.

Django creates permissions after all migrations have run (post_migrate), so
on a new database they do not exist yet here. This migration creates the
ones it needs with the same content type, codename and name that Django
would give them, and post_migrate then finds them present.
"""

from django.db import migrations

GROUP_NAME = "Breed curators"

# (model, codename, name) of every permission the group gets.
CURATOR_PERMISSIONS = [
    ("breed", "view_breed", "Can view breed"),
    ("breed", "change_breed", "Can change breed"),
    ("breedalias", "view_breedalias", "Can view alias"),
    ("breedalias", "add_breedalias", "Can add alias"),
    ("breedalias", "change_breedalias", "Can change alias"),
    ("breedalias", "delete_breedalias", "Can delete alias"),
    ("blockedimage", "view_blockedimage", "Can view blocked image"),
    ("blockedimage", "add_blockedimage", "Can add blocked image"),
    ("blockedimage", "change_blockedimage", "Can change blocked image"),
    ("blockedimage", "delete_blockedimage", "Can delete blocked image"),
    ("syncrun", "view_syncrun", "Can view sync run"),
    ("syncrun", "run_sync", "Can run a catalogue sync"),
]


def create_curators_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    database = schema_editor.connection.alias

    group, _ = Group.objects.using(database).get_or_create(name=GROUP_NAME)
    permissions = []
    for model, codename, name in CURATOR_PERMISSIONS:
        content_type, _ = ContentType.objects.using(database).get_or_create(
            app_label="breeds", model=model
        )
        permission, _ = Permission.objects.using(database).get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        permissions.append(permission)
    group.permissions.set(permissions)


def delete_curators_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    database = schema_editor.connection.alias
    Group.objects.using(database).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("breeds", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_curators_group, delete_curators_group),
    ]
