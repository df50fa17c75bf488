"""Browser tests use the `browser` and `page` fixtures from tests/conftest.py."""
