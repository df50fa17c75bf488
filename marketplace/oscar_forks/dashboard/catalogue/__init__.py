"""Fork of Oscar's dashboard.catalogue (by Oscar's recipe): only its stock-record form changes, so that
a contracted price edited in the dashboard passes the same pricing rule as every other write path."""
