"""The site in a real browser: headless Chromium (Debian's) through Selenium, one session for all checks.

Pages come from `oaik serve` on 127.0.0.1; every request the browser makes is
checked to stay on that server; console errors fail the test; screenshots go
to site-artifacts/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from servers import oaik_server

ARTIFACTS = Path(__file__).resolve().parent.parent / "site-artifacts"
GOLDEN = json.loads((Path(__file__).parent / "golden" / "queries.json").read_text(encoding="utf-8"))
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    from site_build import built_site

    from oaik.server.site_routes import SiteRoutes

    folder = built_site(store, tmp_path_factory)
    with oaik_server(routes=[SiteRoutes(folder)]) as running:
        yield running


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not binary or not driver_path:
        pytest.skip("Chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    try:
        driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    except Exception as error:  # the browser cannot start here (no display libraries, sandbox, ...)
        pytest.skip(f"headless Chromium could not start: {str(error).splitlines()[0]}")
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def visit(browser, server, path: str, shot: str) -> None:
    """Open a page, wait for it to load, screenshot it; fail on console errors or requests to other hosts."""
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(server.url + path)
    time.sleep(0.3)
    browser.save_screenshot(str(ARTIFACTS / f"{shot}.png"))
    check_logs(browser, server)


def check_logs(browser, server) -> None:
    errors = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    elsewhere = [u for u in urls if not u.startswith((server.url + "/", "data:", "blob:", "about:"))]
    assert not elsewhere, elsewhere


def test_index(browser, server):
    visit(browser, server, "/", "index")
    assert browser.find_element("tag name", "h1").text == "The knowledge graph of open-source AI collaboration"
    assert len(browser.find_elements("css selector", "main a")) > 20
    image = browser.find_element("css selector", "figure img")
    assert image.get_attribute("src").endswith("figures/onramp-matrix.svg") and image.get_attribute("alt")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image)


def test_project_page(browser, server):
    visit(browser, server, "/id/project/eleutherai", "project-eleutherai")
    assert browser.find_element("tag name", "h1").text == "EleutherAI (Pythia)"
    assert browser.find_elements("css selector", "#collaborations ~ h3, section[aria-labelledby=collaborations] h3")
    assert browser.find_elements("css selector", "blockquote")


def test_onramp_matrix(browser, server):
    visit(browser, server, "/figures/onramp-matrix.html", "onramp-matrix")
    cells = browser.find_elements("css selector", "svg rect.cell:not(.empty)")
    expected = {k: v for k, v in GOLDEN["onramps_per_cell"].items() if not k.startswith("_")}
    drawn = {
        f"{c.get_attribute('data-stage')}|{c.get_attribute('data-domain')}": int(c.get_attribute("data-onramps"))
        for c in cells
    }
    assert drawn == expected
    texts = [t.text for t in browser.find_elements("css selector", "svg text")]
    for count in set(expected.values()):
        assert f"{count} on-ramp{'s' if count != 1 else ''}" in texts
    assert browser.find_element("css selector", "svg").size["width"] > 300


def test_query_page_runs_a_canned_query(browser, server):
    visit(browser, server, "/query.html", "query-before")
    wait_for_yasgui(browser)
    deadline = time.monotonic() + 20
    assert browser.execute_script("return window.oaikYasgui.getTab().getQuery()").lstrip().startswith(("#+", "PREFIX"))
    browser.execute_script("window.oaikYasgui.getTab().query()")
    rows = []
    while time.monotonic() < deadline:
        rows = browser.find_elements("css selector", ".yasr table tbody tr")
        if rows and "No data" not in rows[0].text:
            break
        time.sleep(0.3)
    browser.save_screenshot(str(ARTIFACTS / "query-after.png"))
    assert rows and "No data" not in rows[0].text
    check_logs(browser, server)


def wait_for_yasgui(browser) -> None:
    deadline = time.monotonic() + 20
    while not browser.execute_script("return !!window.oaikYasgui") and time.monotonic() < deadline:
        time.sleep(0.2)


def test_a_deep_link_loads_its_canned_query(browser, server):
    """Figure captions link to query.html#<name>: the page opens with that query (YASGUI clears the hash)."""
    visit(browser, server, "/figures/onramp-matrix.html", "onramp-matrix")
    browser.find_element("css selector", 'figcaption a[href$="query.html#onramp-matrix"]').click()
    wait_for_yasgui(browser)
    assert browser.execute_script("return document.getElementById('canned').value") == "onramp-matrix"
    wanted = browser.execute_script(
        "return JSON.parse(document.getElementById('canned-queries').textContent)"
        ".find(q => q.name === 'onramp-matrix').query"
    )
    assert "onramp" in wanted
    assert browser.execute_script("return window.oaikYasgui.getTab().getQuery()") == wanted
    check_logs(browser, server)


def test_keyboard_reaches_every_link(browser, server):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    visit(browser, server, "/id/project/cohere-labs", "project-cohere-labs")
    ActionChains(browser).send_keys(Keys.TAB).perform()  # the first stop is the skip link
    assert browser.execute_script("return document.activeElement.className") == "skip"
    unreachable = browser.execute_script(
        """
        const missed = [];
        for (const a of document.querySelectorAll('a[href]')) {
          a.focus();
          if (document.activeElement !== a || a.tabIndex < 0) missed.push(a.getAttribute('href'));
        }
        return missed;"""
    )
    assert unreachable == []


def test_figures_have_text_alternatives(browser, server):
    visit(browser, server, "/figures/motivations.html", "motivations")
    svg = browser.find_element("css selector", "figure svg")
    assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-labelledby")
    assert browser.find_element("css selector", "svg desc").get_attribute("textContent")
