from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.web.test_catalogue_pages import *  # noqa

def test_measure(client, guide_price, item, town, contract_company, administrator):
    set_contract_price(contract_company(1), item, "80.00", administrator)
    for url in ["/catalogue/", f"/catalogue/{item.pk}/", "/prices/", "/prices/export.csv", "/prices/export.xlsx", "/catalogue/?q=保洁&category=1", "/prices/?q=家政"]:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        print(url, r.status_code, len(ctx.captured_queries))
        if url == "/prices/?q=家政":
            for q in ctx.captured_queries: print(q["sql"][:600])
