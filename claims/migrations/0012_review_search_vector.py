"""PostgreSQL full-text search on reviews: a stored generated `search_vector` with a GIN index.

`search_vector` is computed by PostgreSQL from two columns of the row: `search_text` (the
folded claim, short text, claimant, headline and summary, kept current by claims.search) and
`language`. It holds both the words stemmed in the review's language (the text search
configuration `claims_search_config(language)` names: english for "en", "en-GB", spanish for
"es"..., `simple` for a language PostgreSQL has no configuration for) and the words as they are
(`simple`), so a query parsed in another language still finds a review by its exact words.
Angle brackets are read as spaces: PostgreSQL's parser takes `<b>...` for an HTML tag and
skips it, words and all, and claim text is anyone's text.

It is not a model field: Django never reads or writes it (a generated column cannot be
written, and reading it would carry kilobytes per row into every list); matching.search
queries it in SQL. The GIN index covers published rows only (ours and imported), the only
ones any search looks at; without fastupdate, as reviews are written far less often than
searched (a pending list would be read whole by every search until vacuum). SQLite (development) gets neither: matching.search falls back to
LIKE there.
"""

from django.db import migrations

# ISO 639-1 code -> PostgreSQL text search configuration. Only the configurations the server
# has are mapped (PostgreSQL 15 has all of these; older ones lack a few); any other language
# gets `simple` (lower-cased words, no stemming, no stop words).
CONFIGURATIONS = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_catalog.pg_ts_config")
        present = {row[0] for row in cursor.fetchall()}
    cases = " ".join(
        f"WHEN '{code}' THEN 'pg_catalog.{name}'::regconfig"
        for code, name in CONFIGURATIONS.items()
        if name in present
    )
    schema_editor.execute(
        f"""
        CREATE FUNCTION claims_search_config(language text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT CASE lower(split_part(language, '-', 1)) {cases}
                     ELSE 'pg_catalog.simple'::regconfig END $$
        """
    )
    schema_editor.execute(
        """
        ALTER TABLE claims_review ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            to_tsvector(claims_search_config(language), translate(search_text, '<>', '  '))
            || to_tsvector('pg_catalog.simple'::regconfig, translate(search_text, '<>', '  '))
        ) STORED
        """
    )
    schema_editor.execute(
        "CREATE INDEX review_search_vector ON claims_review USING gin (search_vector) "
        "WITH (fastupdate = off) WHERE status = 'published'"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE claims_review DROP COLUMN search_vector")
    schema_editor.execute("DROP FUNCTION claims_search_config(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_public_generation_and_list_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
