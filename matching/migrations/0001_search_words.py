"""The words table of "Did you mean ...?": SearchWord, its trigram index and the trigger on
claims_review that fills it (PostgreSQL only; on SQLite the table exists and stays empty)."""

from django.db import migrations, models

# The words of a folded search_text that are worth suggesting: 3 to 40 letters or digits,
# not only digits. (matching.search.WORDS_SQL fills the table again the same way.)
WORD = "length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$'"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Django's TrigramExtension would try to drop it on SQLite when migrating back; and going
    # back leaves it installed, as something else may use it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX search_word_trigram ON matching_search_word USING gin (word gin_trgm_ops)"
    )
    schema_editor.execute(
        f"""
        CREATE FUNCTION matching_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO matching_search_word (word)
            SELECT DISTINCT w FROM regexp_split_to_table(NEW.search_text, '[^[:alnum:]]+') w
            WHERE {WORD}
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$
        """
    )
    schema_editor.execute(
        """
        CREATE TRIGGER review_search_words
        AFTER INSERT OR UPDATE OF search_text, status ON claims_review
        FOR EACH ROW WHEN (NEW.status = 'published')
        EXECUTE FUNCTION matching_search_words()
        """
    )
    schema_editor.execute(
        f"""
        INSERT INTO matching_search_word (word)
        SELECT DISTINCT w
        FROM claims_review r, regexp_split_to_table(r.search_text, '[^[:alnum:]]+') w
        WHERE r.status = 'published' AND {WORD}
        ON CONFLICT DO NOTHING
        """
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER review_search_words ON claims_review")
    schema_editor.execute("DROP FUNCTION matching_search_words()")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("claims", "0012_review_search_vector"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=40, primary_key=True, serialize=False)),
            ],
            options={"db_table": "matching_search_word"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
