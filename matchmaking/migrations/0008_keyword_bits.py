"""Keywords hashed into one integer per profile (`keyword_bits`, see matchmaking/keyword_bits.py).

Existing profiles are filled here: on PostgreSQL in one UPDATE (its md5 is Python's), elsewhere
row by row. The recommendation index gains the column, so scoring stays an index-only scan.
"""

from hashlib import md5

from django.db import migrations, models

import matchmaking.keyword_bits

# Frozen copy of keyword_bits.keyword_bit: a keyword's bit never changes.
BITS = 63
FILL_SQL = """
UPDATE matchmaking_partnerprofile SET keyword_bits = (
    SELECT coalesce(
        bit_or(1::bigint << (('x' || substr(md5(k), 1, 8))::bit(32)::bigint %% 63)::int), 0
    )
    FROM jsonb_array_elements_text(keywords) AS k
) WHERE jsonb_typeof(keywords) = 'array' AND keywords <> '[]'::jsonb
"""


def fill_keyword_bits(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_SQL)
        return
    profile_model = apps.get_model("matchmaking", "PartnerProfile")
    for profile in profile_model.objects.exclude(keywords=[]).only("pk", "keywords").iterator():
        mask = 0
        for keyword in profile.keywords or []:
            mask |= 1 << (
                int(md5(keyword.encode(), usedforsecurity=False).hexdigest()[:8], 16) % BITS
            )
        profile_model.objects.filter(pk=profile.pk).update(keyword_bits=mask)


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0007_bit_set_statistics")]

    operations = [
        migrations.RemoveIndex(model_name="partnerprofile", name="profile_recommend"),
        migrations.AddField(
            model_name="partnerprofile",
            name="keyword_bits",
            field=matchmaking.keyword_bits.KeywordBitsField(default=0, editable=False),
        ),
        migrations.RunPython(fill_keyword_bits, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="partnerprofile",
            index=models.Index(
                fields=[
                    "status",
                    "role_sought",
                    "country",
                    "stages",
                    "raw_materials",
                    "keyword_bits",
                    "keywords_text",
                    "organisation",
                    "name",
                    "id",
                ],
                name="profile_recommend",
            ),
        ),
    ]
