"""The service layer: one module per use case (propose, plan, delivery, trends, logbook, export).

Each use case is a plain function over typed collaborators (an abstract unit of work with its
repositories, the rule set, a date, a sender), so that the CLI, the nightly email, the tests
and the benchmark call the same code. Services import engine and storage, never cli.
"""
