#!/usr/bin/python3
"""The one-action move to a make-up date in headless Chromium, as a leader does it: signs in by
the mailed link, opens the date a person was absent from, presses "Flytt hit" beside the other
team's date still ahead, and finds the page saying so; the person's own feed (fetched here)
gains that date. Then Enter in that person's note saves the register and does not undo the
move (the buttons belong to a form of their own). axe-core at 1280 and 390 px, no sideways
scrolling, screenshots before and after. The person's own page (the link behind the feed)
offers the date before the move and says it is in their calendar after it.

Usage: check_makeup.py WORK_DIR SHOTS_DIR AXE_DIR BASE_URL MAILBOX_DIR EMAIL REGISTER_PATH
       PERSON_ID FEED_PATH
"""
import os
import sys
import time

from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_pages import Checks  # noqa: E402
from plancal_browser import (Browser, check_here, click_and_wait, install_axe,  # noqa: E402
                             response_of, sign_in_by_mail)


def feed_has_copy(url, person):
    """Whether the feed holds the person's make-up copy, asking for up to 15 s."""
    for _ in range(75):
        status, _, body = response_of(url)
        if status == 200 and f".makeup-{person}@".encode() in body.replace(b"\r\n ", b""):
            return True
        time.sleep(0.2)
    return False


def page_says(browser, url, text):
    """Opens the page until it shows `text`, for up to 15 s (the pages follow the registers
    within a moment); whether it did."""
    for _ in range(75):
        browser.open(url)
        if text in browser.text():
            return True
        time.sleep(0.2)
    return False


def main():
    work_dir, shots, axe_dir, base_url, mailbox, address, register, person, feed = sys.argv[1:10]
    base_url = base_url.rstrip("/")
    os.makedirs(shots, exist_ok=True)
    axe = install_axe(axe_dir)
    checks = Checks()
    own_page = base_url + "/p/" + feed[len("/feeds/"):-len(".ics")]
    with Browser(work_dir) as browser:
        browser.viewport(1280, 800)
        checks.check(page_says(browser, own_page, "Du kan ta igjen møte 1 med Team C"),
                     "the person's own page offers the make-up date", browser.text()[:800])
        check_here(checks, browser, base_url, "person-ta-igjen", shots, axe)
        if not sign_in_by_mail(checks, browser, base_url, mailbox, address):
            print(f"{checks.passed} passed, {checks.failed} failed")
            return 1
        browser.open(base_url + register)
        move = f"button[name='flytt'][value^='{person}|']"
        buttons = browser.driver.find_elements("css selector", move)
        checks.check(len(buttons) == 1, "one 'Flytt hit' button beside the make-up date",
                     str(len(buttons)))
        checks.check("Du kan ta igjen møte 1 med Team C" in browser.text(),
                     "the make-up date is offered in words")
        check_here(checks, browser, base_url, "oppmote-ta-igjen", shots, axe)
        if not buttons:
            print(f"{checks.passed} passed, {checks.failed} failed")
            return 1

        click_and_wait(browser, move)
        checks.check(browser.driver.current_url == base_url + register,
                     "the button comes back to the register", browser.driver.current_url)
        checks.check("Flyttet til møte 1 med Team C" in browser.text(),
                     "the page says the person was moved", browser.text()[-800:])
        undo = browser.driver.find_elements("css selector", "button[name='angre-flytt']")
        checks.check(len(undo) == 1 and undo[0].text == "Angre flyttingen",
                     "an undo button replaces it")
        checks.check(feed_has_copy(base_url + feed, person),
                     "the person's own feed gained the make-up date")
        check_here(checks, browser, base_url, "oppmote-flyttet", shots, axe)
        checks.check(page_says(browser, own_page, "Flyttet til møte 1 med Team C"),
                     "the person's own page says the move", browser.text()[:800])
        checks.check("Møtet er i kalenderen din." in browser.text(),
                     "and that the date is in their calendar")
        check_here(checks, browser, base_url, "person-flyttet", shots, axe)
        browser.open(base_url + register)

        # Enter in the note field sends the register's own form: saved, and still moved.
        note = browser.driver.find_element("css selector", f"input[name='notat:{person}']")
        old = browser.driver.find_element("css selector", "html")
        note.send_keys("Tar igjen møtet med Team C", Keys.ENTER)
        for _ in range(200):
            try:
                old.tag_name
            except Exception:  # noqa: BLE001 - the page was replaced
                break
            time.sleep(0.05)
        browser.open(base_url + register)
        kept = browser.driver.find_element(
            "css selector", f"input[name='notat:{person}']").get_attribute("value")
        checks.check(kept == "Tar igjen møtet med Team C", "Enter in the note saved it", kept)
        checks.check("Flyttet til møte 1 med Team C" in browser.text(),
                     "Enter did not undo the move")
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
