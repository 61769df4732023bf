"""For the bulk write of observations: references checked by triggers instead of FOREIGN KEY
constraints (sdg87/indicators/integrity.py; the triggers are created after every migrate, by
the indicators app's post_migrate handler); time stamps defaulting to the database's now()."""

import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('countries', '0001_initial'),
        ('indicators', '0002_observation_attributes_import_files'),
    ]

    operations = [
        migrations.AlterField(
            model_name='observation',
            name='batch',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='observations', to='indicators.importbatch'),
        ),
        migrations.AlterField(
            model_name='observation',
            name='country',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='countries.country'),
        ),
        migrations.AlterField(
            model_name='observation',
            name='indicator',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='observations', to='indicators.indicator'),
        ),
        migrations.AlterField(
            model_name='observation',
            name='region',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='countries.region'),
        ),
        migrations.AlterField(
            model_name="observation",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
    ]
