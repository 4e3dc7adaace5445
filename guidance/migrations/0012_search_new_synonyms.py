# New synonym groups (guidance/synonyms.yaml: s47, s17, antisocial, tac, sen, uasc, lac, yjs, fii,
# dsl, nai, falteringgrowth, immunisation and British and US spellings) add tokens to the search
# column: the entries already there are written again, so a site already running finds them
# without `manage.py rebuild_search`.

from django.db import migrations


def rebuild_entries(apps, schema_editor):
    from guidance.search import rebuild

    rebuild(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0011_plain_words"),
    ]

    operations = [
        migrations.RunPython(rebuild_entries, migrations.RunPython.noop, elidable=True),
    ]
