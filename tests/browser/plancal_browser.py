"""Helpers for checking plancal's pages in a real browser, for the browser tests.

Debian's Chromium, driven headless by chromedriver through python3-selenium (run with
/usr/bin/python3, which sees Debian's python3-* packages), plus axe-core from npm as the
accessibility checker nobody here wrote. Everything runs on loopback and stops when done.

    with Browser(work_dir) as browser:
        browser.open(url)
        assert not browser.console_errors()
        browser.screenshot(path, 390, 844, mobile=True)
        serious, passes = browser.axe_violations(install_axe(build_dir))
        assert passes and not serious
"""
import base64
import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# Headless as root on a machine whose network is closed: without the background-networking
# flags Chromium keeps trying Google's hosts and logs the refusals (see the machine notes).
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--mute-audio",
    "--lang=nb-NO",
    "--force-color-profile=srgb",
    "--hide-scrollbars",
]

AXE_VERSION = "axe-core@4"


def install_axe(folder):
    """axe.min.js from npm (`npm install axe-core@4` into `folder`, once); returns its path."""
    script = os.path.join(folder, "node_modules", "axe-core", "axe.min.js")
    if not os.path.exists(script):
        os.makedirs(folder, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", folder, "--no-audit", "--no-fund",
                        "--no-save", "--loglevel=error", AXE_VERSION],
                       check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    return script


def response_of(url):
    """(status, headers as a dict with lower-case names, body bytes) of a GET, 4xx included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


class Browser:
    """One headless Chromium with a fresh profile, closed (and its profile removed) on exit."""

    def __init__(self, work_dir):
        self.work_dir = work_dir
        self.driver = None
        self.profile = None

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=self.work_dir)
        options = Options()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument("--user-data-dir=" + self.profile)
        options.add_argument("--window-size=1280,800")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(CHROMEDRIVER, log_path=os.path.join(self.work_dir, "chromedriver.log"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(60)
        self.driver.set_script_timeout(120)
        return self

    def __exit__(self, *exc):
        if self.driver is not None:
            self.driver.quit()
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)

    def viewport(self, width, height, mobile=False):
        """Emulates a viewport of exactly width x height CSS pixels (a phone: mobile=True)."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def open(self, url):
        """Loads `url` and waits until the document and its stylesheet are complete."""
        self.driver.get(url)
        self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "if (document.readyState === 'complete') done(); else addEventListener('load', () => done());")

    def console_errors(self):
        """Console messages at error level since the last call: failed or blocked loads, CSP
        violations, script errors."""
        return [entry["message"] for entry in self.driver.get_log("browser")
                if entry.get("level") == "SEVERE"]

    def screenshot(self, path, width, height, mobile=False, full_page=False):
        """A PNG of the page at that viewport; full_page adds everything below the fold."""
        self.viewport(width, height, mobile)
        self.driver.execute_script("window.scrollTo(0, 0)")
        if not full_page:
            self.driver.save_screenshot(path)
            return path
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        content = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": content["height"], "scale": 1}})
        with open(path, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        return path

    def print_a4(self, path):
        """The page printed to an A4 PDF (the print stylesheet, the page's own @page size)."""
        pdf = self.driver.execute_cdp_cmd("Page.printToPDF", {
            "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True,
            "printBackground": False})
        with open(path, "wb") as out:
            out.write(base64.b64decode(pdf["data"]))
        return path

    def element_screenshot(self, css_selector, path):
        """A PNG of one element (a QR code, say)."""
        element = self.driver.find_element("css selector", css_selector)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.screenshot(path)
        return path

    def axe_violations(self, axe_script, impacts=("serious", "critical")):
        """Runs axe-core on the page (injected through WebDriver, which the page's CSP does not
        govern) and returns (violations of those impacts, how many rules passed). A run under a
        CSP that broke axe shows as zero passes."""
        with open(axe_script, encoding="utf-8") as source:
            self.driver.execute_script(source.read())
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => done({violations: r.violations, passes: r.passes.length}))"
            ".catch(e => done({error: String(e)}));")
        if "error" in result:
            raise RuntimeError("axe-core failed: " + result["error"])
        violations = [v for v in result["violations"] if v.get("impact") in impacts]
        return violations, result["passes"]

    def text(self):
        """The page's text as a reader sees it (innerText: hidden elements left out)."""
        return self.driver.execute_script("return document.body.innerText")


def check_phone_width(browser, checks, axe_script, name):
    """Checks the page as the phone-width screenshot left it: no sideways scrolling at 390 px,
    and axe-core finds nothing serious or critical there."""
    overflow = browser.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    checks.check(overflow <= 0, f"{name}: no sideways scrolling at 390 px", str(overflow))
    violations, _ = browser.axe_violations(axe_script)
    checks.check(not violations, f"{name}: axe at 390 px finds nothing serious",
                 "; ".join(describe_axe(violations)))


def describe_axe(violations):
    """One line per violation, with the first offending element."""
    lines = []
    for v in violations:
        target = v["nodes"][0]["target"] if v.get("nodes") else "?"
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) at {target}")
    return lines


def link_in_mailbox(folder, address, path_pattern, timeout=30):
    """The path of the first link matching `path_pattern` ("/logg-inn/[A-Za-z0-9_-]{43}") in
    the newest such mail to `address` at the test's SMTP server, waiting for it to arrive."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for name in sorted(os.listdir(folder), reverse=True):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8", errors="surrogateescape") as f:
                record = json.load(f)
            if record["rcpt_tos"] != [address]:
                continue
            message = email.message_from_string(record["message"], policy=email.policy.default)
            text = message.get_body(preferencelist=("plain",)).get_content()
            found = re.search(r"https?://[^/\s]+(" + path_pattern + ")", text)
            if found:
                return found.group(1)
        time.sleep(0.2)
    return None


def check_here(checks, browser, base_url, name, shots, axe, page_status=None):
    """The checks every page gets where it stands: no console error or blocked resource,
    nothing loaded from elsewhere, no script, axe-core at 1280 and 390 px, no sideways
    scrolling on a phone; screenshots `name`-1280-full.png and `name`-390-full.png.
    `page_status`: the page itself was answered with this error status on purpose (a form
    sent back with its errors is 422), which Chromium logs as a failed load of the page."""
    errors = browser.console_errors()
    if page_status is not None:
        own = browser.driver.current_url + " - Failed to load resource: the server responded " \
            f"with a status of {page_status} "
        errors = [e for e in errors if not e.startswith(own)]
    checks.check(not errors, f"{name}: no console error or blocked resource", repr(errors))
    resources = browser.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    foreign = [r for r in resources if not r.startswith(base_url)]
    checks.check(not foreign, f"{name}: nothing loaded from elsewhere", repr(foreign))
    scripts = browser.driver.execute_script("return document.scripts.length")
    checks.check(scripts == 0, f"{name}: no script element", str(scripts))
    violations, passes = browser.axe_violations(axe)
    checks.check(passes > 0 and not violations, f"{name}: axe at 1280 px finds nothing serious",
                 "; ".join(describe_axe(violations)))
    browser.screenshot(os.path.join(shots, name + "-1280-full.png"), 1280, 800, full_page=True)
    browser.screenshot(os.path.join(shots, name + "-390-full.png"), 390, 844, mobile=True,
                       full_page=True)
    check_phone_width(browser, checks, axe, name)
    browser.viewport(1280, 800)
    browser.console_errors()


def submit(browser, form_selector):
    """Presses the form's own submit button (not one that belongs to another form through its
    `form` attribute) and waits until the answer (after any redirect) has loaded."""
    click_and_wait(browser, form_selector + " button[type=submit]:not([form])")


def click_and_wait(browser, css_selector):
    """Clicks the element and waits until the page it leads to (after any redirect) has
    loaded."""
    old = browser.driver.find_element("css selector", "html")
    browser.driver.find_element("css selector", css_selector).click()
    for _ in range(200):
        try:
            old.tag_name  # raises once the page was replaced
        except Exception:  # noqa: BLE001 - selenium's stale element error
            break
        time.sleep(0.05)
    for _ in range(200):
        if browser.driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.05)


def sign_in_by_mail(checks, browser, base_url, mailbox, address, shots=None, axe=None):
    """Asks for a sign-in link on the form, follows the link that arrived at the test's SMTP
    server and presses its button; true when the overview opened. With `shots` and `axe`, the
    form and the link's page get check_here's checks."""
    browser.open(base_url + "/logg-inn")
    if shots:
        check_here(checks, browser, base_url, "oppmote-logg-inn", shots, axe)
    browser.driver.find_element("css selector", "#felt-epost").send_keys(address)
    submit(browser, "form.form")
    checks.check("er en lenke sendt" in browser.text(), "the form says a link was sent")
    link = link_in_mailbox(mailbox, address, r"/logg-inn/[A-Za-z0-9_-]{43}")
    checks.check(link is not None, "the sign-in link arrived by mail")
    if link is None:
        return False
    browser.open(base_url + link)
    if shots:
        check_here(checks, browser, base_url, "oppmote-lenke", shots, axe)
    submit(browser, "form.form")
    signed_in = browser.driver.current_url == base_url + "/oppmote"
    checks.check(signed_in, "the button signs in and opens the overview",
                 browser.driver.current_url)
    return signed_in


class LiveSite:
    """A running plancal server: the pages are checked as plancal itself serves them."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
