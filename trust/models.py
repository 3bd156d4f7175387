from django.db import models

from overstone.models import School


class Tally(models.Model):
    """How many records of one kind a school has in one school year (``trust.figures``):
    kept by the database as the records are written, so the trust's figures are read,
    never counted, however many records there are. Figures, never names."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=30)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "name"], name="unique_tally")
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.school_year} {self.name}: {self.count}"
