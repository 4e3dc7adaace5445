# The search column (guidance/search.py): one SearchEntry per indicator, contact, next step and
# guidance section, filled for the data already there (by guidance.search.rebuild, which reads
# the historical models it is given).

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """The GIN index of PostgreSQL's full-text search; SQLite searches by substring and has no
    to_tsvector, so there the index exists in the migration state only (as in Meta.indexes,
    which keeps makemigrations quiet)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def build_entries(apps, schema_editor):
    from guidance.search import rebuild

    rebuild(apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ("guidance", "0008_incomplete"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("contact", "Contact"), ("section", "Guidance section"), ("next_step", "Next step"), ("indicator", "Indicator")], max_length=10)),
                ("title_terms", models.TextField(help_text="The terms of the title (contact name, heading).")),
                ("terms", models.TextField(help_text="The terms of the title and the text, padded by spaces.")),
                ("authority", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="guidance.authority")),
                ("contact", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="search_entry", to="guidance.contact")),
                ("indicator", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="search_entry", to="guidance.indicator")),
                ("next_step", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="search_entry", to="guidance.nextstep")),
                ("section", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="search_entry", to="guidance.guidancesection")),
            ],
            options={
                "verbose_name_plural": "search entries",
                "constraints": [models.CheckConstraint(condition=models.Q(models.Q(("contact__isnull", False), ("indicator__isnull", True), ("kind", "contact"), ("next_step__isnull", True), ("section__isnull", True)), models.Q(("contact__isnull", True), ("indicator__isnull", True), ("kind", "section"), ("next_step__isnull", True), ("section__isnull", False)), models.Q(("contact__isnull", True), ("indicator__isnull", True), ("kind", "next_step"), ("next_step__isnull", False), ("section__isnull", True)), models.Q(("contact__isnull", True), ("indicator__isnull", False), ("kind", "indicator"), ("next_step__isnull", True), ("section__isnull", True)), _connector="OR"), name="search_entry_one_row_of_its_kind")],
            },
        ),
        AddIndexOnPostgreSQL(
            model_name="searchentry",
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector("terms", config="simple"), name="search_entry_terms"),
        ),
        migrations.RunPython(build_entries, migrations.RunPython.noop),
    ]
