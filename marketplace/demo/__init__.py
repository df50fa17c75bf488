"""The demo county: a Shaowu-like city (邵武市) with its grid, catalogue, companies, units, volunteers and
residents, loaded by ``manage.py load_demo_city``.

The data modules (``regions``, ``catalogue``, ``companies``, ``units``, ``people``) are plain Python data,
built deterministically (``random.Random(SEED)`` where a spread is needed); ``loader`` writes them
through the services.
"""

SEED = 110
DEMO_PASSWORD = "demo12345"
EMAIL_DOMAIN = "demo.minsheng110.cn"


def demo_email(local_part: str) -> str:
    return f"{local_part}@{EMAIL_DOMAIN}"
