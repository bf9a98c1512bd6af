"""The web view in a real browser: headless Chromium from Debian's packages (`chromium`, driven
through `chromium-driver` by Selenium; nothing downloads a browser or a driver of its own)
reads `watcher web --port 0` over a SQLite database filled by the real pipeline: a local feed
whose Meta and Alphabet raises arrive with a `<script>` and an `<img onerror>` that would mark
the page as taken over, polled, extracted and evaluated by `watcher run --once`, and
Alphabet's companyfacts loaded by `watcher sec import` (the fixture of tests/test_web.py, with
that feed). The events page lists the raises and ran none of the feed's script; the company
page draws its SVG charts with the stylesheet applied; its screenshot is decoded and is not
blank.

Skipped, with the packages to install, when Chromium or its driver is not installed
(`scripts/test` installs both when run as root)."""

from __future__ import annotations

import html
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from tests.conftest import watcher_env
from tests.support.feed_server import FeedServer
from tests.test_end_to_end import FIRST, RAISE, YEAR, _days_ago, rss
from tests.test_sec_rules import ALPHABET, needs_data
from tests.test_web import Served, _serve, _watcher

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
WIDTH, HEIGHT = 1280, 1600

# What a feed's markup would do if it ran: mark the window and retitle the page.
TAKEOVER = "<script>window.pwned = 1; document.title = 'pwned'</script>"
IMG_TAKEOVER = "<img src=x onerror=\"window.pwned = 2; document.title = 'pwned'\">"
ALPHABET_FIRST = (
    f"Alphabet sets its {YEAR} capex plan",
    f"Alphabet said it expects {YEAR} capital expenditures of approximately $75 billion, as "
    "it invests in technical infrastructure for AI.",
    _days_ago(40),
)
ALPHABET_RAISE = (
    f"Alphabet raises its {YEAR} capex forecast",
    f"Alphabet now expects {YEAR} capital expenditures in a range of $85 billion to $91 "
    "billion, up from its prior estimate of approximately $75 billion.",
    _days_ago(5),
)


def hostile(*items: tuple[str, str, str]) -> tuple[tuple[str, str, str], ...]:
    """The items with the takeover markup in their titles and texts, escaped as a feed sends
    markup inside RSS text (rss() writes titles and texts into the XML as they are)."""
    return tuple(
        (
            html.escape(f"{title} {TAKEOVER}{IMG_TAKEOVER}"),
            html.escape(f"{text} {TAKEOVER}"),
            date,
        )
        for title, text, date in items
    )


@pytest.fixture(scope="module")
def browsed(tmp_path_factory) -> Iterator[Served]:
    """`watcher web --port 0` over the pipeline's database: first guidance for Meta and
    Alphabet, then both raised by items carrying the takeover markup; Alphabet's
    companyfacts imported."""
    tmp = tmp_path_factory.mktemp("browser")
    with FeedServer() as feeds:
        feeds.set(
            "/tech.rss", rss(FIRST, ALPHABET_FIRST), content_type="application/rss+xml", etag='"1"'
        )
        path = tmp / "feeds.yaml"
        path.write_text(
            f"sources:\n  - name: tech-wire\n    url: {feeds.url('/tech.rss')}\n"
            "    interval: 15m\n"
        )
        env = watcher_env(tmp, sources__file=str(path))
        _watcher(env, tmp, "run", "--once")
        raised = rss(FIRST, ALPHABET_FIRST, *hostile(RAISE, ALPHABET_RAISE))
        feeds.set("/tech.rss", raised, content_type="application/rss+xml", etag='"2"')
        _watcher(env, tmp, "run", "--once")
    if ALPHABET.is_file():
        _watcher(env, tmp, "sec", "import", str(ALPHABET))
    for url in _serve(env, tmp):
        yield Served(url, tmp, env)


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        missing = " and ".join(
            package
            for package, found in (("chromium", CHROMIUM), ("chromium-driver", CHROMEDRIVER))
            if found is None
        )
        pytest.skip(
            f"no headless browser: Debian's {missing} not installed "
            "(apt-get install chromium chromium-driver; scripts/test does it as root)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # the tests run as root in CI
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(argument)
    # The driver by path: Selenium Manager (which would download one) is never started.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        yield driver
    finally:
        driver.quit()


def open_page(driver: WebDriver, url: str, selector: str) -> None:
    """Load `url` and wait until `selector` is in the page."""
    driver.get(url)
    WebDriverWait(driver, 30).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, selector))
    )


def assert_nothing_ran(driver: WebDriver) -> None:
    """No feed markup ran: the window is not marked, the title is ours, no alert is open,
    and the page holds no script or image element at all."""
    assert driver.execute_script("return window.pwned") is None
    assert "pwned" not in driver.title and driver.title.endswith("capex-watcher")
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 (reading it is the check)
    assert driver.find_elements(By.TAG_NAME, "script") == []
    assert driver.find_elements(By.TAG_NAME, "img") == []


def test_events_page_lists_the_raises_and_runs_no_feed_script(browser, browsed):
    open_page(browser, browsed.url + "/", "main table")
    text = browser.find_element(By.TAG_NAME, "main").text
    assert f"META raised FY{YEAR} capex guidance" in text
    assert "$60 billion to $65 billion → $64 billion to $72 billion" in text
    assert f"GOOGL raised FY{YEAR} capex guidance" in text
    # The feed's markup is on the page as words, and did nothing.
    assert TAKEOVER in text
    assert_nothing_ran(browser)
    links = browser.find_elements(By.CSS_SELECTOR, "main a[rel~='nofollow']")
    assert links and all(a.get_attribute("rel") == "noopener nofollow" for a in links)
    assert all(
        (a.get_attribute("href") or "").startswith(("http://", "https://")) for a in links
    )


@needs_data
def test_company_page_draws_its_charts_and_its_screenshot_is_not_blank(
    browser, browsed, tmp_path: Path
):
    open_page(browser, browsed.url + "/companies/GOOGL", "figure.chart svg")
    charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg")
    # The guidance history of FY{YEAR}, then capex, OCF, capex/OCF and backlog.
    assert len(charts) == 5
    for chart in charts:
        assert chart.is_displayed()
        assert chart.size["width"] > 100 and chart.size["height"] > 50, chart.size
    lines = browser.find_elements(By.CSS_SELECTOR, "figure.chart polyline.series")
    assert len(lines) == 4
    for line in lines:
        box = browser.execute_script("return arguments[0].getBBox()", line)
        assert box["width"] > 100 and box["height"] > 10, box
        # The stylesheet was allowed by the Content-Security-Policy and applied: an unstyled
        # polyline has no stroke.
        assert line.value_of_css_property("stroke") not in ("none", "")
    ranges = browser.find_elements(By.CSS_SELECTOR, "figure.chart a.guidance rect")
    assert ranges and all(r.size["height"] > 0 for r in ranges)
    assert_nothing_ran(browser)

    png = browser.get_screenshot_as_png()
    (tmp_path / "company-page.png").write_bytes(png)  # kept for a person to look at
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    colours = image.getcolors(maxcolors=WIDTH * HEIGHT)
    assert colours is not None
    commonest = max(count for count, _ in colours)
    assert len(colours) > 100, f"{len(colours)} colours: a blank page?"
    assert commonest < 0.95 * WIDTH * HEIGHT, "one colour fills nearly the whole screenshot"
