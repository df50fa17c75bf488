"""allauth imports every provider's ``urls`` module; the mini program signs in by token only, so none."""
urlpatterns: list = []
