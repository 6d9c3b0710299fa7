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
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_pages import Checks  # noqa: E402
from plancal_browser import Browser, check_here, install_axe, sign_in_by_mail, submit  # noqa: E402


def main():
    work_dir, shots, axe_dir, base_url, mailbox, address = sys.argv[1:7]
    base_url = base_url.rstrip("/")
    os.makedirs(shots, exist_ok=True)
    axe = install_axe(axe_dir)
    checks = Checks()
    chosen = {"sindre.lunde": "attended", "maja.berntsen": "late", "tobias.aas": "absent"}
    with Browser(work_dir) as browser:
        browser.viewport(1280, 800)
        if not sign_in_by_mail(checks, browser, base_url, mailbox, address, shots, axe):
            print(f"{checks.passed} passed, {checks.failed} failed")
            return 1
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
