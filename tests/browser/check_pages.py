#!/usr/bin/python3
"""Checks rendered plancal pages in headless Chromium, as a person and a security review would.

Usage: /usr/bin/python3 check_pages.py WORK_DIR SCREENSHOT_DIR AXE_DIR BASE_URL

BASE_URL is a running `plancal serve` (started by the test on a random loopback port), so the
browser gets plancal's own responses and enforces its own Content-Security-Policy. WORK_DIR
holds expect.json (what each page must show) and gets the browser's profile. For every page: the headers; no console error or blocked resource;
the stylesheet applied; the texts a reader must see; every subscribe link, computed here
independently from the feed link; the QR code decoded back to the webcal:// link (zbarimg);
axe-core finds nothing serious or critical (and did run, under the CSP); screenshots at
390x844 (phone) and 1280x800 (desktop), close-ups, and an A4 print to PDF. Prints one line per check and "N passed, M failed".
"""
import json
import os
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plancal_browser import (  # noqa: E402
    Browser, LiveSite, check_phone_width, describe_axe, install_axe, response_of)

REQUIRED_HEADERS = {
    "content-type": lambda v: v == "text/html; charset=utf-8",
    "content-security-policy": lambda v: "default-src 'none'" in v and "style-src 'self'" in v
    and "frame-ancestors 'none'" in v and "script-src" not in v and "unsafe" not in v,
    "referrer-policy": lambda v: v == "no-referrer",
    "x-content-type-options": lambda v: v == "nosniff",
    "cache-control": lambda v: v.startswith("private"),
    "etag": lambda v: v.startswith('"'),
}


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {what}")
        else:
            self.failed += 1
            print(f"FAIL {what}" + (f": {detail}" if detail else ""))


def expected_links(feed, name):
    """The subscribe links, from their documented formats (independent of plancal's code)."""
    webcal = "webcal://" + feed.split("://", 1)[1]
    quote = lambda s: urllib.parse.quote(s, safe="")  # noqa: E731
    query = f"url={quote(feed)}&name={quote(name)}"
    return {
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal),
        "outlook_office": "https://outlook.office.com/calendar/0/addfromweb?" + query,
        "outlook_live": "https://outlook.live.com/calendar/0/addfromweb?" + query,
        "feed": feed,
    }


def check_headers(checks, site, page):
    status, headers, _ = response_of(site.base_url + page["path"])
    checks.check(status == 200, f"{page['name']}: GET answers 200", str(status))
    for name, good in REQUIRED_HEADERS.items():
        value = headers.get(name)
        checks.check(value is not None and good(value), f"{page['name']}: header {name}", str(value))


def check_links(checks, browser, page):
    boxes = browser.driver.find_elements("css selector", "section.subscribe")
    checks.check(len(boxes) == len(page["subscribe"]),
                 f"{page['name']}: {len(page['subscribe'])} subscribe box(es)", str(len(boxes)))
    for box, want in zip(boxes, page["subscribe"]):
        links = [a.get_attribute("href") for a in box.find_elements("css selector", "a.button")]
        expected = expected_links(want["feed"], want["name"])
        order = ["webcal", "google", "outlook_office", "outlook_live", "feed"]
        checks.check(links == [expected[k] for k in order],
                     f"{page['name']}: subscribe links for {want['name']}", repr(links))
        download = box.find_element("css selector", "a[download]").get_attribute("download")
        checks.check(download == want["name"] + ".ics", f"{page['name']}: download name", download)


def check_qr(checks, browser, page, shots):
    if not page.get("qr"):
        return
    png = browser.element_screenshot("figure.qr svg", os.path.join(shots, page["name"] + "-qr.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", png], stdout=subprocess.PIPE,
                             text=True, check=False).stdout.strip()
    checks.check(decoded == page["qr"], f"{page['name']}: the QR code reads {page['qr']}", decoded)


def save_details(browser, page, shots, width):
    """Close-ups of single parts (a changed meeting, say), for people to look at."""
    for name, selector in page.get("details", {}).items():
        browser.element_screenshot(selector, os.path.join(shots, f"{page['name']}-{name}-{width}.png"))


def check_enforced_csp(checks, browser, page):
    """An inline script must not run: proof that the browser enforces the page's policy."""
    ran = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "let blocked = false;"
        "document.addEventListener('securitypolicyviolation', () => { blocked = true; });"
        "const s = document.createElement('script'); s.textContent = 'window.__injected = 1';"
        "document.body.appendChild(s);"
        "setTimeout(() => done({ran: window.__injected === 1, blocked}), 200);")
    checks.check(not ran["ran"] and ran["blocked"],
                 f"{page['name']}: the CSP blocks an inline script", repr(ran))
    browser.console_errors()  # the refusal is logged on purpose; drop it


def check_page(checks, browser, site, page, shots, axe):
    check_headers(checks, site, page)
    url = site.base_url + page["path"]
    browser.viewport(1280, 800)
    browser.open(url)
    errors = browser.console_errors()
    checks.check(not errors, f"{page['name']}: no console error or blocked resource", repr(errors))
    resources = browser.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    foreign = [r for r in resources if not r.startswith(site.base_url)]
    checks.check(not foreign, f"{page['name']}: nothing loaded from elsewhere", repr(foreign))
    background = browser.driver.execute_script(
        "return getComputedStyle(document.body).backgroundColor")
    checks.check(background == "rgb(243, 245, 247)", f"{page['name']}: the stylesheet applies",
                 background)
    scripts = browser.driver.execute_script("return document.scripts.length")
    checks.check(scripts == 0, f"{page['name']}: no script element", str(scripts))
    lang = browser.driver.execute_script("return document.documentElement.lang")
    checks.check(lang == "nb", f"{page['name']}: lang=nb", lang)
    text = browser.text()
    for wanted in page["texts"]:
        checks.check(wanted in text, f"{page['name']}: shows «{wanted}»")
    for unwanted in page.get("absent_texts", []):
        checks.check(unwanted not in text, f"{page['name']}: does not show «{unwanted}»")
    check_links(checks, browser, page)
    violations, passes = browser.axe_violations(axe)
    checks.check(passes > 0, f"{page['name']}: axe-core ran under the page's CSP", str(passes))
    checks.check(not violations, f"{page['name']}: axe finds nothing serious or critical",
                 "; ".join(describe_axe(violations)))
    browser.screenshot(os.path.join(shots, page["name"] + "-1280x800.png"), 1280, 800)
    browser.screenshot(os.path.join(shots, page["name"] + "-1280-full.png"), 1280, 800,
                       full_page=True)
    check_qr(checks, browser, page, shots)
    save_details(browser, page, shots, "1280")
    browser.print_a4(os.path.join(shots, page["name"] + "-a4.pdf"))
    browser.screenshot(os.path.join(shots, page["name"] + "-390x844.png"), 390, 844, mobile=True)
    save_details(browser, page, shots, "390")
    browser.screenshot(os.path.join(shots, page["name"] + "-390-full.png"), 390, 844, mobile=True,
                       full_page=True)
    check_phone_width(browser, checks, axe, page["name"])
    browser.console_errors()
    check_enforced_csp(checks, browser, page)


def main():
    work_dir, shots, axe_dir, base_url = sys.argv[1:5]
    os.makedirs(shots, exist_ok=True)
    with open(os.path.join(work_dir, "expect.json"), encoding="utf-8") as f:
        expect = json.load(f)
    axe = install_axe(axe_dir)
    checks = Checks()
    site = LiveSite(base_url)
    with Browser(work_dir) as browser:
        for page in expect["pages"]:
            check_page(checks, browser, site, page, shots, axe)
        status, headers, body = response_of(site.base_url + expect["not_found_path"])
        checks.check(status == 404 and "Siden finnes ikke" in body.decode("utf-8"),
                     "an unknown link gets the 404 page", str(status))
        checks.check(headers.get("referrer-policy") == "no-referrer", "the 404 page's headers")
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
