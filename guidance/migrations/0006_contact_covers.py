from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0005_level_number_choices"),
    ]

    operations = [
        migrations.RenameField(model_name="contact", old_name="area", new_name="covers"),
        migrations.RenameField(model_name="historicalcontact", old_name="area", new_name="covers"),
        migrations.AlterField(
            model_name="contact",
            name="covers",
            field=models.TextField(blank=True, help_text="The wards or places the contact covers."),
        ),
        migrations.AlterField(
            model_name="historicalcontact",
            name="covers",
            field=models.TextField(blank=True, help_text="The wards or places the contact covers."),
        ),
    ]
