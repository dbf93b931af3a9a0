"""A trigram GIN index on Program.search_text, on PostgreSQL only.

The catalogue's text search is `search_text LIKE '%needle%'` (ProgramQuerySet.search);
pg_trgm's GIN operator class answers that LIKE from the index instead of reading
every row. Hangul gets trigrams under the cluster's C.UTF-8 locale
(`select show_trgm('성과공유회')` gives six), so Korean queries use the index too.
SQLite has no such index and scans; the migration does nothing there.
"""

from django.db import migrations

INDEX = "program_search_text_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON programs_program "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other objects may use it by now.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_editor_group")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
