from overstone.personal_data import NotPersonal, register

register(
    NotPersonal("trust.Tally", ("name",), "The name of a figure (e.g. incidents), not a person's.")
)
