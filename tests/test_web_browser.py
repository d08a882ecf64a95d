"""The pages in a real headless Chromium (Debian's chromium and chromedriver, through Selenium):
search, click a facet, page, open a document, follow a reference, use a shared URL, see the
error of a bad query, get state suggestions. A screenshot of each page is saved in
tmp/artifacts/ (not committed). Skipped without Chromium, except under CI, where .ci/run
installs it and its absence is a failure."""

from __future__ import annotations

import os
import shutil
import urllib.parse

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[test]'")
pytest.importorskip("selenium", reason="selenium is not installed: pip install -e '.[test]'")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from search.web import create_app  # noqa: E402
from tests.conftest import ROOT  # noqa: E402
from tests.webapp import make_index, serve  # noqa: E402

ARTIFACTS = ROOT / "tmp" / "artifacts"
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(create_app(make_index(tmp_path_factory.mktemp("browser")))) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    if not (BROWSER and DRIVER):
        message = "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + "; .ci/run installs them")
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--lang=fr-FR"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=DRIVER))
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def shot(driver, name: str) -> None:
    """Save a screenshot of the whole page as tmp/artifacts/NAME.png."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height, 600), 4000))
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    driver.set_window_size(1280, 1000)


def symbols(driver) -> list[str]:
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".hit a.symbol")]


def summary(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, ".summary").text


def search_for(driver, server, text: str) -> None:
    driver.get(server.url + "/")
    box = driver.find_element(By.ID, "q")
    box.send_keys(text)
    box.submit()
    WebDriverWait(driver, 10).until(lambda d: "q=" in d.current_url)


def test_search_click_a_facet_and_page(browser, server):
    search_for(browser, server, "climat")
    assert summary(browser).startswith("12 documents — page 1 sur 2") and len(symbols(browser)) == 10
    assert browser.find_elements(By.CSS_SELECTOR, ".snippet mark")[0].text.lower() == "climat"
    shot(browser, "search")
    browser.find_element(By.LINK_TEXT, "France").click()  # in the states facet
    assert "state=FRA" in browser.current_url and summary(browser).startswith("6 documents")
    chip = browser.find_element(By.CSS_SELECTOR, ".chip")
    assert chip.text.startswith("FRA")
    browser.find_element(By.LINK_TEXT, "France").click()  # on: clicking again takes it off
    assert "state=" not in browser.current_url and summary(browser).startswith("12 documents")
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    assert "page=2" in browser.current_url and summary(browser).startswith("12 documents — page 2 sur 2")
    assert len(symbols(browser)) == 2 and browser.find_element(By.CSS_SELECTOR, "ol.hits").get_attribute("start") == "11"
    shot(browser, "search-page-2")


def test_open_a_document_and_follow_a_reference(browser, server):
    search_for(browser, server, "traite")
    browser.find_element(By.LINK_TEXT, "A/RES/78/10").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "A/RES/78/10"
    marked = [m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, ".body mark")]
    assert marked == ["traite", "traite"]
    assert browser.find_element(By.LINK_TEXT, "Français").get_attribute("href") == "https://undocs.org/fr/A/RES/78/10"
    shot(browser, "document")
    browser.find_element(By.LINK_TEXT, "A/RES/78/11").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "A/RES/78/11"
    assert "Coopération internationale" in browser.find_element(By.CSS_SELECTOR, ".document .title").text


def test_a_shared_url_shows_the_same_page(browser, server):
    search_for(browser, server, "climat")
    browser.find_element(By.LINK_TEXT, "Bélarus").click()
    browser.find_element(By.LINK_TEXT, "2023").click()
    url, seen = browser.current_url, symbols(browser)
    assert seen and "state=BLR" in url and "since=2023-01-01" in url
    browser.delete_all_cookies()
    browser.get("about:blank")
    browser.get(url)
    assert symbols(browser) == seen
    assert browser.find_element(By.ID, "q").get_attribute("value") == "climat"
    assert [li.text.split("\n")[0] for li in browser.find_elements(By.CSS_SELECTOR, ".facet li.active a")] == ["Bélarus", "2023"]


def test_a_bad_query_shows_where_it_fails(browser, server):
    search_for(browser, server, 'climat "océans')
    error = browser.find_element(By.ID, "query-error")
    assert "La requête ne peut pas être lue" in error.text and "unbalanced quote" in error.text
    assert error.find_element(By.CSS_SELECTOR, "mark.at").text == '"'
    assert browser.find_element(By.ID, "q").get_attribute("value") == 'climat "océans'
    shot(browser, "error")


def test_an_unknown_state_suggests_one(browser, server):
    browser.get(server.url + "/?" + urllib.parse.urlencode({"state": "Belaruss", "q": "climat"}))
    assert "État inconnu" in browser.find_element(By.ID, "query-error").text
    browser.find_element(By.LINK_TEXT, "Bélarus").click()
    assert summary(browser).startswith("6 documents")


def test_state_suggestions_as_one_types(browser, server):
    browser.get(server.url + "/")
    browser.find_element(By.ID, "state").send_keys("biél")
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#state-names option[value='Bélarus']"))


def test_markup_in_documents_is_shown_as_text(browser, server):
    search_for(browser, server, "piégé")
    browser.find_element(By.LINK_TEXT, "A/RES/78/99").click()
    assert browser.find_element(By.CSS_SELECTOR, ".document .title").text.startswith("<script>window.pwned = 1</script>")
    assert '<img src=x onerror="window.pwned = 2">' in browser.find_element(By.CSS_SELECTOR, ".body").text
    assert browser.execute_script("return window.pwned === undefined")


def test_the_index_and_api_pages(browser, server):
    browser.get(server.url + "/stats")
    assert "16" in browser.find_element(By.CSS_SELECTOR, "dl.record").text
    shot(browser, "index")
    browser.find_element(By.LINK_TEXT, "GA 78").click()
    assert "session=GA+78" in browser.current_url and symbols(browser)
    browser.get(server.url + "/api")
    assert "GET /api/search" in browser.find_element(By.CSS_SELECTOR, ".endpoint h2").text
    shot(browser, "api")
