from django.db import migrations


def mark_done(apps, schema_editor):
    PeopleImport = apps.get_model("people", "PeopleImport")
    PeopleImport.objects.filter(confirmed_at__isnull=False).update(status="done")


def mark_preview(apps, schema_editor):
    PeopleImport = apps.get_model("people", "PeopleImport")
    PeopleImport.objects.update(status="preview")


class Migration(migrations.Migration):
    dependencies = [("people", "0008_add_import_status")]

    operations = [migrations.RunPython(mark_done, mark_preview)]
