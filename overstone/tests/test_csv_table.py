"""The CSV reader both imports (pupils, parents) use: the same rows, the same problems."""

from overstone.imports import csv_table

ALIASES = {"email": "email", "e_mail": "email", "year": "year_group", "year_group": "year_group"}


def read(text: str) -> tuple[list, list]:
    errors: list[tuple[int, str]] = []
    rows = list(
        csv_table(
            text, aliases=ALIASES, required=("email", "year_group"), names="email, year",
            errors=errors,
        )
    )  # fmt: skip
    return rows, errors


def test_rows_come_under_the_known_column_names_stripped_and_blank_lines_skipped():
    rows, errors = read("E Mail,Notes,YEAR\n a@example.org ,anything, Year 1\n\n,,\n")
    assert rows == [(2, {"email": "a@example.org", "year_group": "Year 1"})]
    assert errors == []


def test_each_unreadable_row_is_a_problem_and_the_others_still_come():
    rows, errors = read('email,year\na@example.org\nb@example.org,"Year 2\x00"\nc@example.org,3\n')
    assert [line for line, _ in rows] == [4]
    assert errors == [
        (2, "Expected 2 values, found 1."),
        (3, "The line contains a NUL character (is this a text file?)."),
    ]


def test_an_empty_file_or_a_header_without_the_columns_gives_no_rows():
    assert read("") == ([], [(1, "The file is empty.")])
    assert read("email,notes\na@example.org,x\n") == (
        [],
        [(1, "The header must name the columns email, year (missing: year_group).")],
    )
