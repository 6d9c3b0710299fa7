#!/usr/bin/python3
"""The public sign-up page of a date row series (issue 17) in headless Chromium, as an
organisation's contact uses it: sends the form with mistakes and gets it back with each error
next to its field and everything typed kept; sends it right; follows the confirmation link
that arrived at the real SMTP server and presses its button; finds the row's last place taken
(FULLT) on the page; sees the closed form of a series whose deadline has passed; and, signed
in as an admin by the link that arrived by mail, finds the registration in the organiser's
view with its state, its history and the row's place taken. On every page: no console error or blocked resource, nothing from elsewhere, no script, axe-core finds
nothing serious at 1280 and 390 px, no sideways scrolling at 390 px; screenshots of each.

Usage: check_signup.py WORK_DIR SHOTS_DIR AXE_DIR BASE_URL MAILBOX_DIR OPEN_PATH CLOSED_PATH ADMIN
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_pages import Checks  # noqa: E402
from plancal_browser import (Browser, check_here, install_axe, link_in_mailbox,  # noqa: E402
                             sign_in_by_mail, submit)

CONTACT = "kari@fretex.example.no"


def field(browser, name):
    return browser.driver.find_element("css selector", f"[name='{name}']")


def type_into(browser, name, text):
    element = field(browser, name)
    element.clear()
    element.send_keys(text)


def choose(browser, name, value):
    browser.driver.find_element("css selector", f"select[name='{name}'] option[value='{value}']").click()


def error_next_to(browser, name):
    """The error text shown inside the field's own box, or None."""
    boxes = browser.driver.find_elements(
        "xpath", f"//*[@name='{name}']/ancestor::div[contains(@class, 'field')][1]//p[@class='field-error']")
    return boxes[0].text if boxes else None


def row_text(browser, name):
    """The text of the row card whose heading is `name`."""
    return browser.driver.find_element(
        "xpath", f"//section[contains(@class, 'row-card')][h3[normalize-space()='{name}']]").text


def check_organiser_view(checks, browser, base_url, mailbox, admin, shots, axe):
    """Signs in as `admin` by the mailed link and reads the registration in the organiser's
    view."""
    browser.open(base_url + "/oppmote/pameldinger")
    checks.check(browser.driver.current_url == base_url + "/logg-inn",
                 "signed out, the organiser's view sends to the sign-in", browser.driver.current_url)
    if not sign_in_by_mail(checks, browser, base_url, mailbox, admin):
        return
    browser.driver.find_element("css selector", "a[href='/oppmote/pameldinger']").click()
    browser.open(browser.driver.current_url)
    checks.check(browser.driver.current_url == base_url + "/oppmote/pameldinger",
                 "the admin's overview links to the organiser's view", browser.driver.current_url)
    cards = browser.driver.find_elements("css selector", "article.reg-card")
    checks.check(len(cards) == 1, "the view lists the one registration", str(len(cards)))
    card = cards[0].text if cards else ""
    for expected, what in [("Fretex Oslo – bekreftet", "its organisation and state"),
                           ("Kari Nordmann", "its contact"), (CONTACT, "the contact's address"),
                           ("Datorekke 1: Tirsdager", "the preferred row by name"),
                           ("påmeldt, venter på bekreftelse", "the history's first line"),
                           ("bekreftet – e-postadressen bekreftet", "the confirmation in the history")]:
        checks.check(expected in card, f"the organiser's view shows {what}", card)
    places = browser.driver.find_element(
        "xpath", "//table[contains(@class, 'reg-places')]//tr[th[normalize-space()="
        "'Datorekke 1: Tirsdager']]").text
    checks.check(places.split()[-2:] == ["1", "1"], "the Tuesday row: 1 place taken of 1", places)
    check_here(checks, browser, base_url, "pameldinger-arrangor", shots, axe)


def main():
    work_dir, shots, axe_dir, base_url, mailbox, open_path, closed_path, admin = sys.argv[1:9]
    base_url = base_url.rstrip("/")
    os.makedirs(shots, exist_ok=True)
    axe = install_axe(axe_dir)
    checks = Checks()
    with Browser(work_dir) as browser:
        browser.viewport(1280, 800)
        browser.open(base_url + open_path)
        check_here(checks, browser, base_url, "pamelding-skjema", shots, axe)
        tuesdays = row_text(browser, "Datorekke 1: Tirsdager")
        checks.check("Plasser igjen: 1 av 1" in tuesdays, "the Tuesday row has its one place", tuesdays)
        checks.check("tirsdag 7. september 2032 kl. 09.00" in tuesdays,
                     "dates are written the Norwegian way", tuesdays)

        # Mistakes: the form comes back with each error beside its field, all typed kept.
        type_into(browser, "organisasjon", "Fretex Oslo")
        type_into(browser, "epost", "kari@")
        type_into(browser, "deltakere", "40")
        choose(browser, "valg1", "tirsdag")
        submit(browser, "form")
        checks.check("Skjemaet har feil" in browser.text(), "the form says it has errors")
        checks.check(error_next_to(browser, "epost") is not None and
                     "navn@eksempel.no" in error_next_to(browser, "epost"),
                     "the address error stands next to the address", str(error_next_to(browser, "epost")))
        checks.check(error_next_to(browser, "deltakere") is not None and
                     "fra 2 til 15" in error_next_to(browser, "deltakere"),
                     "the count error stands next to the count", str(error_next_to(browser, "deltakere")))
        checks.check(error_next_to(browser, "kontaktperson") is not None,
                     "the missing contact is marked where it belongs")
        checks.check(error_next_to(browser, "organisasjon") is None, "a right field has no error")
        checks.check(field(browser, "organisasjon").get_attribute("value") == "Fretex Oslo",
                     "what was typed is kept", field(browser, "organisasjon").get_attribute("value"))
        checks.check(field(browser, "epost").get_attribute("aria-invalid") == "true",
                     "the wrong field is marked invalid for screen readers")
        checks.check(field(browser, "valg1").get_attribute("value") == "tirsdag",
                     "the chosen row is kept", field(browser, "valg1").get_attribute("value"))
        check_here(checks, browser, base_url, "pamelding-feil", shots, axe, page_status=422)

        # Right: the page says a mail is on its way, and the mail's link confirms.
        type_into(browser, "kontaktperson", "Kari Nordmann")
        type_into(browser, "epost", CONTACT)
        type_into(browser, "deltakere", "4")
        submit(browser, "form")
        checks.check("Sjekk e-posten" in browser.text() or "sendt en e-post" in browser.text(),
                     "the answer says a confirmation mail was sent", browser.text()[:300])
        link = link_in_mailbox(mailbox, CONTACT, r"/pamelding/bekreft/[A-Za-z0-9_-]{43}")
        checks.check(link is not None, "the confirmation link arrived by mail")
        if link is None:
            print(f"{checks.passed} passed, {checks.failed} failed")
            return 1
        browser.open(base_url + open_path)
        checks.check("Plasser igjen: 1 av 1" in row_text(browser, "Datorekke 1: Tirsdager"),
                     "an unconfirmed registration takes no place")
        browser.open(base_url + link)
        check_here(checks, browser, base_url, "pamelding-bekreft", shots, axe)
        submit(browser, "form")
        checks.check("Påmeldingen er bekreftet" in browser.text(), "the button confirms",
                     browser.text()[:300])

        browser.open(base_url + open_path)
        tuesdays = row_text(browser, "Datorekke 1: Tirsdager")
        checks.check("FULLT" in tuesdays and "Ingen plasser igjen av 1" in tuesdays,
                     "the confirmed registration took the last place: FULLT", tuesdays)
        check_here(checks, browser, base_url, "pamelding-fullt", shots, axe)

        browser.open(base_url + closed_path)
        checks.check("Påmeldingen er stengt" in browser.text(), "after the deadline the form is closed")
        forms = browser.driver.find_elements("css selector", "form")
        checks.check(not forms, "a closed series offers no form", str(len(forms)))
        check_here(checks, browser, base_url, "pamelding-stengt", shots, axe)

        check_organiser_view(checks, browser, base_url, mailbox, admin, shots, axe)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
