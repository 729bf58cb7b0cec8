from django.db import migrations

from orchestration.defaults import KPI_CATALOG


def install_catalog(apps, schema_editor):
    kpi_model = apps.get_model("orchestration", "Kpi")
    positions: dict[str, int] = {}
    for partnership_type, key, label, unit, target, direction, headline_name in KPI_CATALOG:
        positions[partnership_type] = positions.get(partnership_type, 0) + 1
        kpi_model.objects.update_or_create(
            partnership_type=partnership_type,
            key=key,
            defaults={
                "label": label,
                "unit": unit,
                "target": target,
                "direction": direction,
                "headline": bool(headline_name),
                "headline_name": headline_name,
                "position": positions[partnership_type],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("orchestration", "0001_initial")]

    operations = [migrations.RunPython(install_catalog, migrations.RunPython.noop)]
