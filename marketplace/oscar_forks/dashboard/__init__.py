"""Fork of Oscar's dashboard app, by Oscar's recipe, only so that dashboard.catalogue can be forked
beneath it (Oscar resolves dashboard.catalogue.* classes through the parent dashboard app)."""
