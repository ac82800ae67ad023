"""Named errors for user mistakes. Each carries a one-line message fit to print as-is.

Only `cli/` turns these into exit codes; library code raises them and never prints.
"""


class CoachError(Exception):
    """A known problem caused by input (a file, an option, the database); its message is for the user."""


class NotFound(CoachError):
    """A named thing (athlete, rule, proposal) does not exist."""


class InvalidInput(CoachError):
    """A value given by a person or a file is not acceptable."""
