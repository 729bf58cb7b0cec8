from django.db import migrations

from orchestration.defaults import default_config


def install_version_1(apps, schema_editor):
    revision = apps.get_model("orchestration", "ConfigRevision")
    if not revision.objects.exists():
        revision.objects.create(version=1, config=default_config())


class Migration(migrations.Migration):
    dependencies = [("orchestration", "0006_config_revision")]

    operations = [migrations.RunPython(install_version_1, migrations.RunPython.noop)]
