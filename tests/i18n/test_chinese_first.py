"""The UI is Chinese first: an anonymous visitor sees Simplified Chinese, may switch to English, and the
Chinese catalogue (locale/zh_Hans) leaves no message untranslated — domain refusals included."""
from __future__ import annotations

import gettext
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from pricing.errors import GuidePriceAboveLimit
from pricing.services import guide_price_check

CATALOGUE_DIR = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"


# --- a small PO reader (the standard library has none) ---------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$')

pytestmark = pytest.mark.chinese


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def po_entries(path: Path) -> list[dict]:
    """Entries as dicts: msgid, msgid_plural, msgctxt, msgstr / msgstr[n], and their flags.
    Obsolete entries (``#~``) are left out, as msgfmt leaves them out."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry: dict = {"flags": set()}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry = None
                break
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := _KEYWORD.match(line):
                field = match.group(1)
                entry[field] = _unquote(match.group(2))
            elif line.startswith('"'):
                entry[field] += _unquote(line.strip()[1:-1])
        if entry is not None and "msgid" in entry:
            entries.append(entry)
    return entries


def translations_of(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key == "msgstr" or key.startswith("msgstr[")]


PLACEHOLDER = re.compile(r"%\([^)]+\)[sdr]|%[sdr]|%%|\{\w+\}|</?[a-z]+[^>]*>")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def messages():
    return [entry for entry in po_entries(PO_FILE) if entry["msgid"]]


# --- pages ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_home_page_is_in_chinese_for_an_anonymous_visitor(client):
    page = client.get("/").content.decode()

    assert '<html lang="zh-hans">' in page
    assert "指导价" in page  # nav: "Guide prices"
    assert "申请加盟" in page  # nav: "Join as a company"
    assert "事事有人办理,件件都有回音。" in page
    assert "签约企业按低于市场价至少 15% 的指导价提供服务" in page  # a template's "15%" survives translation
    assert "Guide prices" not in page
    assert "Join as a company" not in page
    assert "Every matter has someone handling it" not in page


@pytest.mark.django_db
def test_catalogue_is_in_chinese_for_an_anonymous_visitor(client):
    page = client.get("/catalogue/").content.decode()

    assert "服务目录" in page  # "Service catalogue"
    assert "指导价" in page
    assert "搜索服务" in page  # "Search services"
    assert "Service catalogue" not in page
    assert "Guide prices" not in page
    assert "Search services" not in page


@pytest.mark.django_db
def test_visitor_can_switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/catalogue/"})
    assert response.status_code == 302
    assert response["Location"] == "/catalogue/"

    catalogue = client.get("/catalogue/").content.decode()
    home = client.get("/").content.decode()

    assert '<html lang="en">' in catalogue
    assert "Service catalogue" in catalogue
    assert "Guide prices" in home
    assert "Join as a company" in home
    assert "指导价" not in home
    assert "服务目录" not in catalogue


@pytest.mark.django_db
def test_visitor_can_switch_back_to_chinese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    page = client.get("/").content.decode()

    assert "指导价" in page
    assert "Guide prices" not in page


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_chinese_until_english_is_chosen(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page and "指导价" in page

    client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en-US")
    assert "Guide prices" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()


@pytest.mark.django_db
def test_app_clients_choose_the_language_of_api_answers(client):
    chinese = client.get("/api/requests/").json()["detail"]
    english = client.get("/api/requests/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert chinese != english and "credentials" in english


# --- the catalogue ----------------------------------------------------------------------------------

def test_chinese_catalogue_declares_its_language_and_one_plural_form():
    header = next(entry for entry in po_entries(PO_FILE) if entry["msgid"] == "")

    assert "fuzzy" not in header["flags"]
    assert "Language: zh_Hans\n" in header["msgstr"]
    assert "charset=UTF-8" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"]


def test_every_message_has_a_chinese_translation():
    entries = messages()
    untranslated = [entry["msgid"] for entry in entries if not all(t.strip() for t in translations_of(entry))]
    missing_form = [entry["msgid"] for entry in entries if "msgid_plural" in entry and "msgstr[0]" not in entry]

    assert len(entries) > 100  # the catalogue was actually found and read
    assert untranslated == []
    assert missing_form == []


def test_no_translation_is_fuzzy():
    assert [entry["msgid"] for entry in messages() if "fuzzy" in entry["flags"]] == []


def test_translations_keep_every_placeholder_and_tag():
    changed = [
        (entry["msgid"], text)
        for entry in messages()
        for text in translations_of(entry)
        if placeholders(text) != placeholders(entry["msgid"])
    ]

    assert changed == []


def test_compiled_catalogue_matches_the_po_file():
    """The .mo the server loads holds the same translations as the .po (compilemessages was run)."""
    with MO_FILE.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    stale = []
    for entry in messages():
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            got = compiled.ngettext(msgid, entry["msgid_plural"], 1)
            want = entry["msgstr[0]"]
        else:
            got, want = compiled.gettext(msgid), entry["msgstr"]
        if got != want:
            stale.append(entry["msgid"])

    assert stale == []


# --- domain messages ------------------------------------------------------------------------------

def test_guide_price_refusal_reads_in_chinese_with_its_numbers(policy):
    with translation.override("zh-hans"), pytest.raises(GuidePriceAboveLimit) as refused:
        guide_price_check(market_price=Decimal("100.00"), guide_price=Decimal("90.00"), policy=policy)

    message = str(refused.value.message)
    assert message == (
        "指导价 ¥90.00 超出上限:必须比市场价 ¥100.00 低至少 15%,即不高于 ¥85.00(2026 年度政策)。"
    )
    assert refused.value.code == "guide_price_above_limit"


def test_guide_price_refusal_reads_in_english_when_english_is_chosen(policy):
    with translation.override("en"), pytest.raises(GuidePriceAboveLimit) as refused:
        guide_price_check(market_price=Decimal("100.00"), guide_price=Decimal("90.00"), policy=policy)

    message = str(refused.value.message)
    assert "above the limit" in message
    assert "¥90.00" in message and "¥100.00" in message and "¥85.00" in message and "15%" in message
