# Slugs for organisations registered before slugs existed, then made unique (a migration of its
# own: PostgreSQL refuses to alter a table with pending row updates in the same transaction).

from django.db import migrations, models
from django.utils.text import slugify


RESERVED_SLUGS = {"apply", "applications", "action-groups", "pledges", "research", "new", "edit", "logo"}


def fill_slugs(apps, schema_editor):
    """Give every organisation registered before slugs existed a unique slug from its name."""
    Organisation = apps.get_model("partners", "Organisation")
    taken = set(RESERVED_SLUGS)
    for organisation in Organisation.objects.order_by("pk"):
        base = slugify(organisation.name)[:70].strip("-") or "organisation"
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        organisation.slug = slug
        organisation.save(update_fields=["slug"])



class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0002_organisation_profile_action_groups_pledges_research'),
    ]

    operations = [
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='organisation',
            name='slug',
            field=models.SlugField(max_length=80, unique=True, verbose_name='slug'),
        ),
        migrations.AddConstraint(
            model_name='organisation',
            constraint=models.CheckConstraint(condition=models.Q(('slug', ''), _negated=True), name='organisation_slug_set'),
        ),
    ]
