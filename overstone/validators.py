"""Validators shared by several apps' models."""

from django.core.exceptions import ValidationError


def validate_single_line(value: str) -> None:
    """Refuse line breaks in a title: it goes into e-mail subjects and calendar files."""
    if value.splitlines() not in ([], [value]):
        raise ValidationError("Use one line, with no line breaks.", code="line_break")
