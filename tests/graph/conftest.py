from graph_helpers import s6, structures  # noqa: F401  (fixtures)
