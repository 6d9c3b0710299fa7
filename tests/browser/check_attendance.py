#!/usr/bin/python3
"""The signed-in attendance pages in headless Chromium, as a leader uses them: asks for a
sign-in link on the form, follows the link that arrived at the real SMTP server (read here with
Python's email package), presses the button, opens a date, registers three people by clicking
radio buttons, saves, reloads and finds them kept, sees the change in the audit trail, and
signs out. On every page: no console error or blocked resource, nothing from elsewhere, no
script, axe-core finds nothing serious at 1280 and 390 px, no sideways scrolling at 390 px;
screenshots of each.

Usage: check_attendance.py WORK_DIR SHOTS_DIR AXE_DIR BASE_URL MAILBOX_DIR EMAIL
"""
import email
import email.policy
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_pages import Checks  # noqa: E402
from plancal_browser import Browser, check_phone_width, describe_axe, install_axe  # noqa: E402


def link_in_mailbox(folder, address, timeout=30):
    """The sign-in link of the newest mail to `address`, waiting for it to arrive."""
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
            found = re.search(r"https?://\S+/logg-inn/([A-Za-z0-9_-]{43})", text)
            if found:
                return "/logg-inn/" + found.group(1)
        time.sleep(0.2)
    return None


def check_here(checks, browser, base_url, name, shots, axe):
    errors = browser.console_errors()
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
    """Presses the form's submit button and waits until the answer (after any redirect) has
    loaded."""
    old = browser.driver.find_element("css selector", "html")
    browser.driver.find_element("css selector", form_selector + " button[type=submit]").click()
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


def main():
    work_dir, shots, axe_dir, base_url, mailbox, address = sys.argv[1:7]
    base_url = base_url.rstrip("/")
    os.makedirs(shots, exist_ok=True)
    axe = install_axe(axe_dir)
    checks = Checks()
    chosen = {"sindre.lunde": "attended", "maja.berntsen": "late", "tobias.aas": "absent"}
    with Browser(work_dir) as browser:
        browser.viewport(1280, 800)
        browser.open(base_url + "/logg-inn")
        check_here(checks, browser, base_url, "oppmote-logg-inn", shots, axe)
        browser.driver.find_element("css selector", "#felt-epost").send_keys(address)
        submit(browser, "form.form")
        checks.check("er en lenke sendt" in browser.text(), "the form says a link was sent")

        link = link_in_mailbox(mailbox, address)
        checks.check(link is not None, "the sign-in link arrived by mail")
        if link is None:
            print(f"{checks.passed} passed, {checks.failed} failed")
            return 1
        browser.open(base_url + link)
        check_here(checks, browser, base_url, "oppmote-lenke", shots, axe)
        submit(browser, "form.form")
        checks.check(browser.driver.current_url == base_url + "/oppmote",
                     "the button signs in and opens the overview", browser.driver.current_url)
        check_here(checks, browser, base_url, "oppmote-oversikt", shots, axe)
        checks.check("Sindre Lunde" in browser.text(), "the overview lists Ingrid's people")
        bars = browser.driver.find_elements("css selector", "svg.hours-bar")
        checks.check(len(bars) == 4, "an hours bar per person", str(len(bars)))

        browser.driver.find_element("css selector", ".date-list a").click()
        browser.open(browser.driver.current_url)
        register_url = browser.driver.current_url
        for person, status in chosen.items():
            browser.driver.find_element(
                "css selector", f"input[name='status:{person}'][value='{status}']").click()
        browser.driver.find_element("css selector", "input[name='notat:maja.berntsen']").send_keys(
            "Bussen var sen")
        submit(browser, "form.register")
        browser.open(register_url)  # a reload: what was saved is what is shown
        for person, status in chosen.items():
            checked = browser.driver.find_element(
                "css selector", f"input[name='status:{person}'][value='{status}']").is_selected()
            checks.check(checked, f"{person} is kept as {status} after a reload")
        text = browser.text()
        checks.check("Ingrid Haug endret Tobias Aas fra ikke registrert til fravær" in text,
                     "the audit trail shows the change", text[-600:])
        checks.check("Bussen var sen" in text or browser.driver.find_element(
            "css selector", "input[name='notat:maja.berntsen']").get_attribute("value") ==
            "Bussen var sen", "the note is kept")
        check_here(checks, browser, base_url, "oppmote-register", shots, axe)

        submit(browser, "form.sign-out")
        checks.check(browser.driver.current_url == base_url + "/logg-inn",
                     "sign-out goes to the sign-in page", browser.driver.current_url)
        browser.open(register_url)
        checks.check(browser.driver.current_url == base_url + "/logg-inn",
                     "after sign-out the register is closed", browser.driver.current_url)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
