from django.db import migrations

ROLES = ("orchestration_admin", "partnership_manager", "metrics_viewer", "content_manager", "metrics_collector")


def create_roles(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for name in ROLES:
        group_model.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("devsky", "0002_userapikey"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
