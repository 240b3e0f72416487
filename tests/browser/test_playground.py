"""The playground in a real Chromium, against copydesk over a socket with a real LanguageTool.

What an editor does: paste the seed article, check, read the findings in place, apply a
suggestion, filter the list; what goes wrong shown in words (413, 422, 429, 503, and 503 ``busy`` from
a real ``gunicorn``, whose body reader answers it). Every test also
holds the page to the offline promise (no request leaves the service's origin) and to a
clean console. ``/docs/`` is opened for real, and axe-core audits the page with a report on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests
from browsing import LiveServer, Watched, watch
from playwright.sync_api import Browser, Locator, Page, expect
from support import busy_gunicorn_env, fill_body_budget, free_port, gunicorn, wait_for

from service.checks.clickbait import MESSAGE_CUE_WEIGHT

TILL = "left Jinping till the car"
TILL_FIX = "walked Jinping to the car"


def check(page: Page, text: str, title: str = "", checks: tuple[str, ...] | None = None) -> None:
    """Fill the form and check with the keyboard shortcut; wait for the report."""
    page.goto("/")
    page.fill("#title", title)
    page.fill("#text", text)
    if checks is not None:
        for box in page.locator('input[name="checks"]').all():
            box.set_checked(box.get_attribute("value") in checks)
    page.locator("#text").press("Control+Enter")
    expect(page.locator("#status")).to_contain_text("Checked in", timeout=60_000)
    expect(page.locator("#results")).to_be_visible()


def mark_exactly(page: Page, text: str):
    """Highlights whose whole text is ``text``: a finding marked as its own element."""
    return page.locator("#doc mark.hl").filter(has_text=re.compile(rf"^{re.escape(text)}$"))


def test_seed_article_is_marked_up_in_place(watched: Watched, live_server: LiveServer, seed_text: str,
                                            seed_title: str) -> None:
    page = watched.page
    check(page, seed_text, seed_title)

    report = requests.post(f"{live_server.url}/v1/score", json={"text": seed_text, "title": seed_title},
                           timeout=60).json()
    expect(page.locator("#score")).to_have_text(re.sub(r"\.0$", "", f"{report['score']:.1f}"))
    expect(page.locator("#verdict")).to_contain_text(report["verdict"].capitalize())
    expect(page.locator("#findings-list > li")).to_have_count(report["counts"]["total"])
    expect(page.locator("#section-scores > li")).to_have_count(4)
    headline = report["checks"]["clickbait"]["headline"]
    expect(page.locator("#clickbait-meter")).to_have_attribute("value", str(headline["probability"]))
    expect(page.locator("#headline-body")).to_contain_text(f"{round(headline['probability'] * 100)}%")
    expect(page.locator("#headline-body .cue").first).to_contain_text(headline["explanation"][0]["term"])
    # The cues a finding's message quotes: weak terms ('the' +0.49 on the seed) are not shown.
    strong = [term for term in headline["explanation"] if term["weight"] >= MESSAGE_CUE_WEIGHT]
    assert 0 < len(strong) < len(headline["explanation"])
    expect(page.locator("#headline-body .cue")).to_have_count(len(strong))
    expect(page.locator("#readability-body")).to_contain_text("Flesch reading ease")
    expect(page.locator("#readability-body .hard-sentences li")).to_have_count(
        report["checks"]["readability"]["hard_sentence_count"])
    # Every clarity measure, with its value and band.
    clarity = report["checks"]["readability"]["clarity"]
    rows = page.locator("#readability-body .clarity-table tbody tr")
    expect(rows).to_have_count(len(clarity))
    passive = clarity["passive_voice"]
    expect(rows.filter(has_text="Passive voice")).to_contain_text(f"{round(passive['value'], 2):g} {passive['unit']}")
    expect(rows.filter(has_text="Passive voice").locator(".band")).to_have_text(passive["band"])

    # Every finding the report places in the text has a highlight holding exactly its text.
    placed = [i for s in report["checks"].values() for i in s["issues"] if i["field"] == "text"]
    assert page.locator("#doc mark.hl:not([data-fragment])").count() == len(placed)
    till = mark_exactly(page, TILL)
    assert till.count() == seed_text.count(TILL)
    expect(page.locator("#doc mark.hl:empty:not(.hl-empty)")).to_have_count(0)

    # Hovering shows the finding: message, rule and pack, suggestions.
    till.first.hover()
    popover = page.locator("#popover")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("translationese.till-place")
    expect(popover).to_contain_text("pack translationese")
    expect(popover).to_contain_text("'Till' marks time, not place")
    expect(popover.get_by_role("button", name=re.compile(TILL_FIX))).to_be_visible()

    # The headline line carries the model's finding and the phrase findings inside it:
    # overlapping marks nest, and the inner one still shows its own underline.
    nested = page.locator("#doc mark.hl mark.hl").filter(has_text=re.compile(rf"^{re.escape(TILL)}$")).first
    expect(nested).to_be_visible()
    outer_line = nested.evaluate("m => getComputedStyle(m.parentElement.closest('mark')).borderBottomStyle")
    inner_line = nested.evaluate("m => getComputedStyle(m).borderBottomStyle")
    assert outer_line != "none" and inner_line != "none"
    watched.assert_clean()


def test_an_emoji_before_a_finding_does_not_shift_its_highlight(watched: Watched) -> None:
    # Two astral-plane emoji are two code points for /v1 but four UTF-16 units for JavaScript.
    text = f"😀🎉 Putin {TILL} after lunch. 👍 He then {TILL} again."
    check(watched.page, text, checks=("phrasing",))
    assert mark_exactly(watched.page, TILL).count() == 2
    # The list places it as an editor counts: the emoji are one character each.
    expect(watched.page.locator("#findings-list > li .where").first).to_have_text("line 1, character 10")
    watched.assert_clean()


def test_findings_ending_where_the_headline_ends_nest_whole(watched: Watched) -> None:
    # The model's finding covers the whole headline; the phrase ends where it ends. An emoji
    # (two UTF-16 units, one code point) comes first.
    page = watched.page
    check(page, "The council met on Tuesday.", title=f"😀 You won't believe what Putin {TILL}",
          checks=("phrasing", "clickbait"))
    title = page.locator("#doc-title")
    expect(title).to_be_visible()
    outer = title.locator("> mark.hl")
    expect(outer).to_have_count(1)
    expect(outer).to_have_text(f"😀 You won't believe what Putin {TILL}")
    expect(outer.locator("> mark.hl")).to_have_text(["You won't believe", TILL])
    # No piece of a mark split off at the end: an empty one would also push the outer line lower.
    expect(title.locator("mark[data-fragment]")).to_have_count(0)
    expect(outer).to_have_attribute("data-stack", "1")
    # In the list, a place in the headline in words, not as "headline 1, col 3".
    expect(page.locator("#findings-list > li .where")).to_have_text(
        ["headline, character 1", "headline, character 3", "headline, character 32"])
    # A cue is read as its term and its weight, not run together ("You+4.77").
    cues = re.findall(r"- listitem: (.*)", page.locator("#headline-body .cue-list").aria_snapshot())
    assert cues[0].startswith("You, weight +"), cues
    assert all(re.fullmatch(r"\S.*, weight \+\d+\.\d\d", cue) for cue in cues), cues
    watched.assert_clean()


def test_a_phone_wide_page_does_not_scroll_sideways(watched: Watched, seed_text: str, seed_title: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": 360, "height": 740})
    check(page, seed_text, seed_title)
    assert page.evaluate("document.documentElement.scrollWidth") == page.evaluate(
        "document.documentElement.clientWidth")
    expect(page.get_by_role("link", name="openapi.yaml")).to_be_in_viewport(ratio=1)
    watched.assert_clean()


# The readability card's content box, and the clarity table's box with that of its scroller.
CLARITY_BOXES = """() => {
  const card = document.querySelector(".card.readability");
  const style = getComputedStyle(card);
  const outer = card.getBoundingClientRect();
  const table = document.querySelector(".clarity-table");
  const scroller = table.parentElement;
  return {
    content: outer.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight),
    table: table.getBoundingClientRect().right,
    scroller: scroller.getBoundingClientRect().right,
    scrolls: scroller.scrollWidth > scroller.clientWidth,
    tabindex: scroller.getAttribute("tabindex"),
  };
}"""


def test_the_clarity_table_stays_inside_its_card_on_a_phone(watched: Watched, seed_text: str,
                                                             seed_title: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": 360, "height": 740})
    check(page, seed_text, seed_title)
    expect(page.locator(".clarity-table tbody tr")).not_to_have_count(0)
    # 360 px: the whole table fits in the card, nothing to scroll.
    boxes = page.evaluate(CLARITY_BOXES)
    assert boxes["table"] <= boxes["content"] + 0.5, boxes
    assert not boxes["scrolls"] and boxes["tabindex"] is None, boxes
    # Narrower still (320 px): the table scrolls inside its card, and the keyboard can scroll it.
    page.set_viewport_size({"width": 320, "height": 740})
    expect(page.locator(".table-scroll")).to_have_attribute("tabindex", "0")
    boxes = page.evaluate(CLARITY_BOXES)
    assert boxes["scrolls"] and boxes["scroller"] <= boxes["content"] + 0.5, boxes
    expect(page.get_by_role("region", name="Clarity")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == 320
    watched.assert_clean()


def test_the_meter_turns_red_at_the_services_clickbait_threshold(watched_with: Callable[..., Watched],
                                                                   seed_title: str) -> None:
    watched = watched_with(clickbait_threshold=0.7)
    page = watched.page
    check(page, "The council met on Tuesday.", title=seed_title, checks=("clickbait",))
    # The seed's headline scores 0.54: news at this threshold, and the meter must not show red.
    expect(page.locator("#headline-body")).to_contain_text("reads as news")
    meter = page.locator("#clickbait-meter")
    assert float(meter.get_attribute("value")) < 0.7
    expect(meter).to_have_attribute("high", "0.7")
    expect(meter).to_have_attribute("low", "0.49")
    watched.assert_clean()


def test_a_headline_without_strong_cues_shows_no_cue_list(watched: Watched) -> None:
    """Most news headlines have no cue strong enough to show: the panel then says nothing of cues.
    It once read "null" under the headline, the text replaceChildren writes for a null child."""
    page = watched.page
    check(page, "The council met on Tuesday.", title="Council approves budget for new library",
          checks=("clickbait",))
    body = page.locator("#headline-body")
    expect(body).to_contain_text("reads as news")
    expect(body.locator(".cues")).to_have_count(0)
    expect(body).not_to_contain_text("null")
    watched.assert_clean()


@pytest.mark.parametrize("segmenter", [True, False], ids=["Intl.Segmenter", "without Intl.Segmenter"])
def test_a_long_quote_is_cut_between_characters(watched: Watched, segmenter: bool) -> None:
    # Over 20 words: a readability finding, whose quote in the list keeps 119 UTF-16 units. The
    # emoji's two units sit across that cut. A browser without Intl.Segmenter (Firefox before
    # 125) cuts between code points, and the page must still load.
    if not segmenter:
        watched.page.add_init_script("delete Intl.Segmenter")
    head = "The council met on Tuesday and approved the budget for the coming year after a long debate about"
    text = f"{head} {'x' * (118 - len(head) - 1)}😀 and then everybody went home after the long and tiring meeting."
    check(watched.page, text, checks=("readability",))
    quote = watched.page.locator("#findings-list > li[data-check='readability'] .quote").first.inner_text()
    assert quote.startswith("“") and quote.endswith("…”")
    shown = quote[1:-2]
    shown.encode("utf-8")  # fails on half an emoji (a lone surrogate)
    assert shown == text[:118]  # up to the emoji, which no longer fits whole
    watched.assert_clean()


def test_a_long_url_does_not_widen_the_page(watched: Watched) -> None:
    # One token longer than any line: in the headline, its cues, the text and the quotes of the list.
    page = watched.page
    url = "https://example.com/news?fbclid=" + "IwAR3xKq7Zb9" * 14
    text = f"Read Also: {url}\n\nThe council met on Tuesday.\n\nFollow for more updates:{url}"
    for width in (360, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        check(page, text, title=f"Watch: {url}")
        assert page.evaluate("document.documentElement.scrollWidth") == width
    watched.assert_clean()


def test_a_text_that_is_not_english_says_so_beside_the_verdict(watched: Watched) -> None:
    """A German article got a verdict as if it were English, and nothing said otherwise."""
    page = watched.page
    german = ("Der Stadtrat hat am Dienstagabend nach einer langen Debatte über die Finanzierung der neuen "
              "Straßenbahnlinie mit knapper Mehrheit einen Haushalt beschlossen. Die Bibliothek muss sparen.")
    check(page, german, checks=("readability",))
    expect(page.locator(".verdict-note")).to_contain_text("does not read as English")
    check(page, "The council met on Tuesday and approved the budget for the new library after a long debate "
          "with the residents of the town.", checks=("readability",))
    expect(page.locator(".verdict-note")).not_to_contain_text("English")
    watched.assert_clean()


def test_a_first_line_that_is_a_sentence_is_not_taken_for_the_headline(watched: Watched) -> None:
    page = watched.page
    body = "\n\nThe council met on Tuesday and approved the budget."
    check(page, "You won't believe what the council did next." + body, checks=("clickbait",))
    expect(page.locator("#headline-body")).to_contain_text("No headline to score")
    check(page, "You won't believe what the council did next" + body, checks=("clickbait",))
    expect(page.locator("#headline-body")).to_contain_text("Scored the first line")
    expect(page.locator("#clickbait-meter")).to_be_visible()
    watched.assert_clean()


def test_applying_a_suggestion_checks_again(watched: Watched) -> None:
    page = watched.page
    text = f"Putin {TILL} after the meeting. The talks went on for hours."
    check(page, text)
    before = page.locator("#findings-list > li").count()
    item = page.locator("#findings-list > li").filter(has_text="translationese.till-place")
    item.get_by_role("button", name=re.compile(TILL_FIX)).click()
    expect(page.locator("#status")).to_contain_text("Checked in", timeout=60_000)
    expect(page.locator("#text")).to_have_value(text.replace(TILL, TILL_FIX))
    expect(page.locator("#findings-list > li").filter(has_text="translationese.till-place")).to_have_count(0)
    assert page.locator("#findings-list > li").count() < before
    assert mark_exactly(page, TILL).count() == 0
    watched.assert_clean()


def test_after_a_suggestion_the_focus_goes_on_from_the_changed_place(watched: Watched) -> None:
    # From the keyboard, in the article and then in the list: after the check that follows, the
    # focus is on the next finding, where the editor goes on, not back at the top of the article.
    page = watched.page
    text = f"Putin {TILL} after lunch. His aide {TILL} again. Then the minister {TILL} too."
    check(page, text, checks=("phrasing",))
    marks = mark_exactly(page, TILL)
    expect(marks).to_have_count(3)
    marks.first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#popover button.suggestion").first).to_be_focused()
    page.keyboard.press("Enter")  # the first suggestion
    expect(page.locator("#status")).to_contain_text("Checked in", timeout=60_000)
    expect(marks).to_have_count(2)
    expect(marks.first).to_be_focused()  # the aide's, the next finding after the changed place
    expect(marks.first).to_be_in_viewport()

    till = page.locator("#findings-list > li").filter(has_text="translationese.till-place")
    expect(till).to_have_count(2)
    till.first.get_by_role("button", name=re.compile(TILL_FIX)).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("Checked in", timeout=60_000)
    expect(till).to_have_count(1)
    expect(till.locator("button.quote")).to_be_focused()  # the minister's, in the list
    expect(page.locator("#text")).to_have_value(text.replace(TILL, TILL_FIX, 2))
    watched.assert_clean()


def test_a_check_that_takes_away_the_focused_element_gives_the_focus_to_the_check_button(watched: Watched) -> None:
    """A check replaces the findings list and hides the pop-over: the element an editor's keyboard
    was on goes with them, and the focus fell to the top of the page."""
    page = watched.page
    text = f"Putin {TILL} after lunch. His aide {TILL} again."
    check(page, text, checks=("phrasing",))
    # Ctrl+Enter from a finding in the list, which the check rebuilds.
    page.locator("#findings-list > li button.quote").first.focus()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#status")).to_contain_text("Checked in", timeout=60_000)
    expect(page.locator("#check-button")).to_be_focused()
    # A suggestion taken after the text was edited: the text is checked again first, and the
    # pop-over with the suggestion's button is hidden.
    page.locator("#text").press("End")
    page.keyboard.type(" More.")
    mark_exactly(page, TILL).first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#popover button.suggestion").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("Checked in", timeout=60_000)
    expect(page.locator("#check-button")).to_be_focused()
    expect(page.locator("#text")).to_have_value(text + " More.")  # not applied to the changed text
    watched.assert_clean()


def test_a_suggestion_is_not_applied_while_a_check_is_on_its_way(watched: Watched) -> None:
    page = watched.page
    text = f"Putin {TILL} after the meeting."
    check(page, text, checks=("phrasing",))
    held = []
    page.route("**/v1/score", lambda route: held.append(route))  # the next check waits until released
    page.locator("#text").press("Control+Enter")
    expect(page.locator("#status")).to_have_text("Checking…")
    item = page.locator("#findings-list > li").filter(has_text="translationese.till-place")
    item.get_by_role("button", name=re.compile(TILL_FIX)).click()
    # Applied now, the change would be in no check: the report coming in is of the text before it.
    expect(page.locator("#status")).to_contain_text("A check is running")
    expect(page.locator("#text")).to_have_value(text)
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#status")).to_contain_text("Checked in", timeout=60_000)
    watched.assert_clean()


# Which elements say they are busy, whether the status line is inside one of them, and where the focus is.
BUSY = """() => {
  const status = document.getElementById("status");
  return {busy: [...document.querySelectorAll("[aria-busy]")].map((e) => `${e.id}=${e.getAttribute("aria-busy")}`),
          statusInBusy: status.closest("[aria-busy='true']") !== null, focused: document.activeElement.id};
}"""


def test_a_running_check_is_busy_and_its_end_is_said_politely(watched: Watched) -> None:
    # While a check runs, the report it will replace is busy (a screen reader waits for the new
    # one), but the status line is not inside it: "Checking…" and the outcome are said, politely.
    # The Check button keeps the focus, so a keyboard user is where they were when it ends.
    page = watched.page
    check(page, f"Putin {TILL} after the meeting.", checks=("phrasing",))
    status = page.locator("#status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    held = []
    page.route("**/v1/score", lambda route: held.append(route))
    button = page.locator("#check-button")
    button.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Checking…")
    assert page.evaluate(BUSY) == {"busy": ["results=true"], "statusInBusy": False, "focused": "check-button"}
    expect(button).to_have_attribute("aria-disabled", "true")
    page.keyboard.press("Enter")  # pressed again while it runs: no second request
    page.wait_for_timeout(200)
    assert len(held) == 1
    held[0].continue_()
    expect(status).to_contain_text("Checked in", timeout=60_000)
    assert page.evaluate(BUSY) == {"busy": [], "statusInBusy": False, "focused": "check-button"}
    expect(button).not_to_have_attribute("aria-disabled", "true")
    # A check the service refuses ends the busy state too, and says so in the status line.
    page.fill("#text", "   ")
    button.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Checking…")
    assert len(held) == 2
    held[1].continue_()
    expect(status).to_have_text("Not checked: Some fields need fixing.")
    assert page.evaluate(BUSY) == {"busy": [], "statusInBusy": False, "focused": "check-button"}
    watched.assert_clean(expected_statuses=(422,))


# Which findings of the list Chromium skips (lays out and paints only when they come into sight).
SKIPPED = """() => {
  window.skipped = new Set();
  document.addEventListener("contentvisibilityautostatechange", (event) => {
    if (event.skipped) window.skipped.add(event.target.dataset.index);
    else window.skipped.delete(event.target.dataset.index);
  }, true);
}"""


def test_findings_out_of_sight_are_not_laid_out(watched: Watched, seed_text: str, seed_title: str) -> None:
    # A long article has thousands of findings (17,061 at a million characters); laying out the
    # whole list at once froze the page for seconds. The findings out of sight wait until they
    # come into it, and the keyboard still reaches the last one.
    page = watched.page
    page.add_init_script(f"({SKIPPED})()")
    text = "\n\n".join([seed_text] * 18)  # within the live server's 100,000
    check(page, text, seed_title)
    items = page.locator("#findings-list > li")
    total = items.count()
    assert total > 1000
    page.wait_for_function("(total) => window.skipped.size > total * 0.9", arg=total)
    items.first.scroll_into_view_if_needed()  # the first ones come into sight
    page.wait_for_function("() => !window.skipped.has('0') && !window.skipped.has('1')")
    last = items.last
    last.locator("button.quote").focus()
    expect(last.locator("button.quote")).to_be_focused()
    expect(last).to_be_in_viewport()
    page.wait_for_function("(index) => !window.skipped.has(index)", arg=last.get_attribute("data-index"))
    watched.assert_clean()


def test_the_list_filters_by_section_and_severity_and_leads_to_the_text(watched: Watched, seed_text: str) -> None:
    page = watched.page
    check(page, seed_text)
    items = page.locator("#findings-list > li")
    total = items.count()
    phrasing = page.locator("#findings-list > li[data-check='phrasing']").count()
    assert 0 < phrasing < total

    page.locator("#filter-sections").get_by_role("button", name=re.compile("^Phrasing")).click()
    expect(page.locator("#findings-list > li[data-check='phrasing']:visible")).to_have_count(0)
    expect(page.locator("#findings-list > li:visible")).to_have_count(total - phrasing)
    expect(page.locator("#findings-shown")).to_have_text(f"{total - phrasing} of {total}")
    assert page.locator("#doc mark.hl.sec-phrasing:not(.is-muted)").count() == 0

    page.locator("#filter-severities").get_by_role("button", name=re.compile("^Suggestion")).click()
    visible = page.locator("#findings-list > li:visible")
    assert visible.count() == page.locator(
        "#findings-list > li:not([data-check='phrasing']):not([data-severity='suggestion'])").count()

    # A finding in the list leads to its highlight: scrolled into view and focused.
    last = visible.last
    index = last.get_attribute("data-index")
    last.locator("button.quote").click()
    mark = page.locator(f"#hl-{index}")
    expect(mark).to_be_focused()
    expect(mark).to_be_in_viewport()
    watched.assert_clean()


def test_the_pointer_goes_from_a_nested_mark_into_its_own_popover(watched: Watched) -> None:
    page = watched.page
    # Over 20 words: the sentence is a readability finding, and the phrase a mark inside it.
    text = (f"Putin {TILL} after a long and warm meeting in the Kremlin that lasted for more than four hours "
            "on a cold Monday night in March.")
    check(page, text, checks=("readability", "phrasing"))
    inner = page.locator("#doc mark.hl mark.hl").filter(has_text=re.compile(rf"^{re.escape(TILL)}$"))
    expect(inner).to_have_count(1)
    box = inner.bounding_box()
    x, bottom = box["x"] + box["width"] / 2, box["y"] + box["height"]
    page.mouse.move(x, box["y"] + box["height"] / 2)
    title = page.locator("#popover-title")
    expect(title).to_have_text(f"“{TILL}”")
    # Straight down a pixel at a time, as a hand moves to the suggestions: the outer mark's lower
    # line lies just below, and must not take the pop-over over on the way.
    page.mouse.move(x, bottom + 30, steps=round(box["height"] / 2) + 30)
    expect(title).to_have_text(f"“{TILL}”")
    page.locator("#popover").get_by_role("button", name=re.compile(TILL_FIX)).click()
    expect(page.locator("#status")).to_contain_text("Checked in", timeout=60_000)
    expect(page.locator("#text")).to_have_value(text.replace(TILL, TILL_FIX))
    watched.assert_clean()


def test_keyboard_reaches_a_suggestion_from_a_highlight(watched: Watched) -> None:
    page = watched.page
    check(page, f"Putin {TILL} after the meeting.", checks=("phrasing",))
    mark = mark_exactly(page, TILL).first
    mark.focus()
    expect(page.locator("#popover")).to_be_visible()
    expect(mark).to_have_attribute("aria-describedby", "popover")
    page.keyboard.press("Enter")
    expect(page.locator("#popover button.suggestion").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(mark).to_be_focused()
    expect(page.locator("#popover")).to_be_hidden()
    watched.assert_clean()


def test_the_skip_link_comes_with_an_article_to_skip_to(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    page.keyboard.press("Tab")  # no report yet: a skip link would lead nowhere
    expect(page.get_by_role("link", name="API reference")).to_be_focused()
    check(page, f"Putin {TILL} after the meeting.", checks=("phrasing",))
    page.get_by_role("link", name="Skip to the marked-up article").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#article-card")).to_be_focused()
    page.keyboard.press("Tab")
    expect(mark_exactly(page, TILL)).to_be_focused()
    watched.assert_clean()


def test_tab_out_of_a_popover_stays_in_the_article(watched: Watched) -> None:
    page = watched.page
    check(page, f"Putin {TILL} after lunch. His aide {TILL} again.", checks=("phrasing",))
    first, second = mark_exactly(page, TILL).all()
    first.focus()
    page.keyboard.press("Enter")
    suggestions = page.locator("#popover button.suggestion")
    expect(suggestions).to_have_count(2)
    expect(suggestions.first).to_be_focused()
    # Shift+Tab before the first suggestion: back to the mark, not to the article's last mark.
    page.keyboard.press("Shift+Tab")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(suggestions.last).to_be_focused()
    # Tab past the last one: on to the next mark, not out of the article to the findings list.
    page.keyboard.press("Tab")
    expect(second).to_be_focused()
    expect(second).to_have_attribute("aria-describedby", "popover")
    watched.assert_clean()


def assert_in_editors_words(error: Locator, problem: dict) -> None:
    """The error box says what happened in the page's own words: the API's title and detail are
    for API clients and name settings for operators (COPYDESK_...), which an editor cannot change."""
    expect(error).not_to_contain_text("COPYDESK_")
    expect(error).not_to_contain_text(problem["title"])
    expect(error).not_to_contain_text(problem["detail"])


def test_a_text_over_the_limit_is_explained(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    page.fill("#title", "Council")
    page.fill("#text", "word " * 20_000)  # 100,007 code points with the headline: over the live server's 100,000
    with page.expect_response("**/v1/score") as answer:
        page.click("#check-button")
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error.get_by_role("heading")).to_have_text("The article is too long to check")
    expect(error).to_contain_text("The headline and article have 100,007 characters; this service checks up to "
                                  "100,000. Cut 7 characters, or check the article in parts.")
    assert answer.value.status == 413
    assert_in_editors_words(error, answer.value.json())
    expect(error.locator(".problem-meta")).to_contain_text("HTTP 413")
    expect(page.locator("#status")).to_have_text("Not checked: The article is too long to check.")
    watched.assert_clean(expected_statuses=(413,))


def test_the_text_is_counted_against_the_services_limit_before_it_is_sent(
        watched_with: Callable[..., Watched]) -> None:
    # The page takes the limit from the service it is served by: 60 here, not a number of its own.
    watched = watched_with(max_text_chars=60)
    page = watched.page
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if "/v1/" in request.url else None)
    page.goto("/")
    count = page.locator("#text-count")
    expect(count).to_have_text("0 of 60 characters, headline included")
    # Counted as the service counts: code points (the emoji is one, though two UTF-16 units),
    # the headline with the article.
    page.fill("#title", "Council 😀")
    page.fill("#text", "x" * 50)
    text = page.locator("#text")
    text.press("End")
    text.press("x")  # as an editor types: 60, the limit itself
    expect(count).to_have_text("60 of 60 characters, headline included. At the limit.")
    expect(count).not_to_have_class(re.compile("is-over"))
    expect(text).to_have_accessible_description("60 of 60 characters, headline included. At the limit.")
    text.press("y")  # one over
    expect(count).to_have_text("61 of 60 characters, headline included. Too long to check: cut 1.")
    expect(count).to_have_class(re.compile("is-over"))
    expect(text).to_have_attribute("aria-invalid", "true")
    change = page.locator("#text-count-change")  # what a screen reader says, once
    expect(change).to_have_text("Too long to check: 61 of 60 characters, headline included.")
    assert sent == [], "the limit is shown before anything is sent"
    # The service agrees with the count: refused at 61, checked at 60.
    page.click("#check-button")
    expect(page.locator("#error")).to_contain_text("The article is too long to check")
    text.press("Backspace")
    expect(count).to_have_text("60 of 60 characters, headline included. At the limit.")
    expect(text).not_to_have_attribute("aria-invalid", "true")
    expect(change).to_have_text("Within the limit again: 60 of 60 characters, headline included.")
    page.click("#check-button")
    expect(page.locator("#status")).to_contain_text("Checked in", timeout=60_000)
    watched.assert_clean(expected_statuses=(413,))


# The count's colour, and whether it carries the warning or the error icon.
COUNT_LOOK = """() => {
  const count = document.getElementById("text-count");
  return {colour: getComputedStyle(count).color, warning: !!count.querySelector(".sev-icon-warning"),
          error: !!count.querySelector(".sev-icon-error")};
}"""


def test_the_count_warns_in_amber_before_the_limit(watched_with: Callable[..., Watched]) -> None:
    # From 90 % of the limit the count turns amber, with the warning icon and words that say so
    # (colour is never the only cue); a screen reader hears it once, on the way in.
    watched = watched_with(max_text_chars=100)
    page = watched.page
    page.goto("/")
    count = page.locator("#text-count")
    change = page.locator("#text-count-change")
    text = page.locator("#text")
    page.fill("#text", "x" * 89)
    expect(count).to_have_text("89 of 100 characters, headline included")
    plain = page.evaluate(COUNT_LOOK)
    assert not plain["warning"] and not plain["error"], plain
    text.press("End")
    text.press("x")  # 90: 90 %
    expect(count).to_have_text("90 of 100 characters, headline included. Close to the limit: 10 left.")
    expect(count).to_have_class(re.compile("is-near"))
    expect(text).to_have_accessible_description("90 of 100 characters, headline included. Close to the limit: 10 left.")
    expect(text).not_to_have_attribute("aria-invalid", "true")
    expect(change).to_have_text("Close to the limit: 90 of 100 characters, headline included, 10 left.")
    near = page.evaluate(COUNT_LOOK)
    assert near["warning"] and not near["error"] and near["colour"] != plain["colour"], (plain, near)
    text.press("x")  # said once, not at every key
    expect(count).to_contain_text("9 left.")
    expect(change).to_have_text("Close to the limit: 90 of 100 characters, headline included, 10 left.")
    page.fill("#text", "x" * 101)
    expect(count).to_have_class(re.compile("is-over"))
    expect(count).not_to_have_class(re.compile("is-near"))
    over = page.evaluate(COUNT_LOOK)
    assert over["error"] and not over["warning"] and over["colour"] not in (plain["colour"], near["colour"]), over
    page.fill("#text", "x" * 95)
    expect(count).to_have_text("95 of 100 characters, headline included. Close to the limit: 5 left.")
    expect(change).to_have_text("Within the limit again: 95 of 100 characters, headline included.")
    page.fill("#text", "x" * 80)
    expect(count).to_have_text("80 of 100 characters, headline included")
    expect(count).not_to_have_class(re.compile("is-near"))
    assert page.evaluate(COUNT_LOOK) == plain
    watched.assert_clean()


def test_invalid_fields_are_listed_once_by_their_labels(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    page.fill("#text", "   ")
    for box in page.locator('input[name="checks"]').all():
        box.uncheck()
    with page.expect_response("**/v1/score") as answer:
        page.click("#check-button")
    error = page.locator("#error")
    expect(error).to_contain_text("Some fields need fixing")
    # The id of the service's log line, for an operator to find what happened.
    expect(error.locator(".problem-meta")).to_contain_text(f"request {answer.value.headers['x-request-id']}")
    # Named as the form names them (not text, checks), and said once: the detail repeats the list.
    expect(error.locator(".problem-errors li")).to_have_text([
        "Article: must contain some non-whitespace text",
        re.compile(r"^Checks: must be a non-empty list"),
    ])
    expect(error.get_by_text("must contain some non-whitespace text")).to_have_count(1)
    expect(page.locator("#status")).to_have_text("Not checked: Some fields need fixing.")
    watched.assert_clean(expected_statuses=(422,))


def test_too_many_checks_say_when_to_try_again(watched_with: Callable[..., Watched]) -> None:
    watched = watched_with(rate_limit="1/minute")  # the second call of the minute is a 429
    page = watched.page
    page.goto("/")
    page.fill("#text", f"Putin {TILL} after the meeting.")
    page.click("#check-button")
    expect(page.locator("#status")).to_contain_text("Checked in", timeout=60_000)
    with page.expect_response("**/v1/score") as answer:
        page.click("#check-button")  # the second call of the minute
    error = page.locator("#error")
    expect(error.get_by_role("heading")).to_have_text("Too many checks in a short time")
    # When to try again, from Retry-After, and that nothing typed is lost.
    wait = int(answer.value.headers["retry-after"])
    assert 0 < wait <= 60
    expect(error).to_contain_text(re.compile(
        r"The service has had too many checks from here in a short time\. Try again in (\d+) seconds?; "
        r"your text stays in the form\."))
    shown = int(re.search(r"Try again in (\d+)", error.inner_text())[1])
    assert shown == wait
    assert answer.value.status == 429
    assert_in_editors_words(error, answer.value.json())
    expect(error.locator(".problem-meta")).to_contain_text("HTTP 429")
    expect(page.locator("#status")).to_have_text("Not checked: Too many checks in a short time.")
    watched.assert_clean(expected_statuses=(429,))


def test_languagetool_down_is_explained_and_a_partial_report_offered(watched_without_languagetool: Watched) -> None:
    page = watched_without_languagetool.page
    page.goto("/")
    page.fill("#text", f"Putin {TILL} after the meeting.")
    with page.expect_response("**/v1/score", timeout=30_000) as answer:
        page.click("#check-button")
    error = page.locator("#error")
    expect(error).to_contain_text("A check could not run")
    assert_in_editors_words(error, answer.value.json())
    expect(error).to_contain_text("HTTP 503")
    # In an editor's words, which name the button beside them, not the API's field.
    expect(error).to_contain_text("Grammar could not run just now, so nothing was reported.")
    expect(error).to_contain_text(re.compile(r"Try again in \d+ seconds?, or check again with a partial report: "
                                             r"the findings of the other checks, without Grammar\."))
    expect(error).not_to_contain_text("allow_partial")
    expect(error).not_to_contain_text('"')
    error.get_by_role("button", name="Check again with a partial report").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_be_visible(timeout=30_000)
    expect(error).to_be_hidden()
    # The button went with the error box; the focus is not left at the top of the page.
    expect(page.locator("#check-button")).to_be_focused()
    expect(page.locator("#section-scores")).to_contain_text("unavailable")
    expect(page.locator("#status")).to_contain_text("Partial report")
    watched_without_languagetool.assert_clean(expected_statuses=(503,))


def test_a_busy_service_says_when_to_try_again(browser: Browser, languagetool_url: str, data_dir: Path,
                                               tmp_path: Path) -> None:
    """A worker that holds as many request bodies as it takes answers 503 ``busy`` (the body
    reader in service/serving.py, which only a real gunicorn runs). The page says so in an
    editor's words, with Retry-After's wait, and offers no partial report: that is for a check
    that could not run, and would be refused the same way."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with gunicorn(busy_gunicorn_env(port, data_dir, languagetool_url), tmp_path / "gunicorn.log"), \
            ExitStack() as held:
        wait_for(base + "/readyz", 200, 120)
        pages = watch(browser, base)
        watched = next(pages)
        held.callback(next, pages, None)  # closes the browser context
        page = watched.page
        page.goto("/")
        text = f"Putin {TILL} after the meeting."
        page.fill("#text", text)
        for sock in fill_body_budget(base):
            held.enter_context(sock)
        with page.expect_response("**/v1/score") as answer:
            page.click("#check-button")
        assert answer.value.status == 503
        problem = answer.value.json()
        assert problem["type"] == "urn:copydesk:problem:busy"
        error = page.locator("#error")
        expect(error.get_by_role("heading")).to_have_text("The service is busy")
        wait = int(answer.value.headers["retry-after"])
        expect(error).to_contain_text(f"The service is busy with other checks just now. Try again in {wait} "
                                      f"second{'' if wait == 1 else 's'}; your text stays in the form.")
        expect(page.locator("#text")).to_have_value(text)
        expect(error.get_by_role("button")).to_have_count(0)  # no partial report: it would be refused too
        assert_in_editors_words(error, problem)
        expect(error.locator(".problem-meta")).to_contain_text("HTTP 503")
        expect(page.locator("#status")).to_have_text("Not checked: The service is busy.")
        watched.assert_clean(expected_statuses=(503,))


def test_an_api_key_is_sent_as_a_bearer_token(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    expect(page.locator("#api-key-field")).to_be_hidden()  # keys are off: no field
    # A service with keys on shows the field (the html element says so); do what it would.
    page.evaluate("document.getElementById('api-key-field').hidden = false")
    page.fill("#api-key", "k-123")
    page.fill("#text", "A short text.")
    with page.expect_request("**/v1/score") as request:
        page.click("#check-button")
    assert request.value.headers["authorization"] == "Bearer k-123"
    expect(page.locator("#status")).to_contain_text("Checked in", timeout=60_000)
    watched.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_passes_axe_with_a_report_on_it(watched: Watched, axe_source: str, seed_text: str,
                                                  seed_title: str, scheme: str) -> None:
    page = watched.page
    page.emulate_media(color_scheme=scheme)
    check(page, seed_text, seed_title)
    mark_exactly(page, TILL).first.focus()  # the pop-over open too
    page.evaluate(axe_source)  # evaluated by the driver, so the page's CSP does not apply
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    watched.assert_clean()


CONTRAST = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")
# What the page's root, its ink and the article box are painted with.
SCHEME_COLOURS = """() => [document.documentElement, document.getElementById("text")].flatMap((element) => {
  const style = getComputedStyle(element);
  return [style.backgroundColor, style.color];
})"""


def relative_luminance(css: str) -> float:
    """WCAG's relative luminance of an opaque ``rgb(r, g, b)``."""
    channels = [int(value) / 255 for value in re.findall(r"\d+", css)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_colour_keeps_aa_contrast_in_both_colour_schemes(watched: Watched, seed_text: str, seed_title: str,
                                                                scheme: str) -> None:
    # The page follows the reader's colour scheme, and in each the text has WCAG AA contrast
    # (4.5:1, large text 3:1) and the non-text cues 3:1, the boundary of every control and the
    # focus ring of every one that takes the focus too (SC 1.4.11): measured from Chromium's
    # computed styles on a report, its pop-over, each verdict and band, a running check, the
    # count near and over the limit, and the error box.
    page = watched.page
    page.emulate_media(color_scheme=scheme)
    check(page, seed_text, seed_title)
    paper, ink, box, typed = (relative_luminance(colour) for colour in page.evaluate(SCHEME_COLOURS))
    if scheme == "dark":
        assert paper < 0.03 and box < 0.03 and ink > 0.6 and typed > 0.6, (paper, ink, box, typed)
    else:
        assert paper > 0.8 and box > 0.8 and ink < 0.05 and typed < 0.05, (paper, ink, box, typed)

    failures: dict[str, None] = {}

    def measure(state: str) -> None:
        result = page.evaluate(CONTRAST)
        measured = result["measured"]
        assert measured["text"] > 20 and measured["non-text"] > 5 and measured["boundary"] > 10, measured
        failures.update(dict.fromkeys(f"{state}: {failure}" for failure in result["failures"]))

    page.locator("#filter-sections button").first.click()  # a filter turned off
    mark_exactly(page, TILL).first.focus()  # its pop-over open, and the focus ring
    expect(page.locator("#popover")).to_be_visible()
    measure("report")
    page.keyboard.press("Tab")  # from the keyboard: focus() calls ring what they focus, as Tab would
    rings = page.evaluate(CONTRAST, {"focus": True})
    assert rings["measured"]["focus ring"] > 50, rings["measured"]  # the form, the marks, the list
    failures.update(dict.fromkeys(f"focus: {failure}" for failure in rings["failures"]))
    page.evaluate("document.getElementById('check-button').setAttribute('aria-disabled', 'true')")
    measure("check running")
    page.evaluate("document.getElementById('check-button').removeAttribute('aria-disabled')")
    for verdict in ("pass", "warn", "fail"):
        page.evaluate(f"document.getElementById('verdict').className = 'verdict verdict-{verdict}'")
        measure(f"verdict {verdict}")
    for band in ("good", "ok", "poor", "not_applicable"):
        page.evaluate(f"document.querySelector('.clarity-table .band').className = 'band band-{band}'")
        measure(f"band {band}")
    page.fill("#text", "x" * 95_000)  # the live server takes 100,000
    expect(page.locator("#text-count")).to_have_class(re.compile("is-near"))
    measure("count near the limit")
    page.fill("#text", "x" * 100_001)
    page.click("#check-button")
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#text-count")).to_have_class(re.compile("is-over"))
    measure("count over the limit, with the error box")
    assert list(failures) == []
    watched.assert_clean(expected_statuses=(413,))


def test_docs_render_the_openapi_3_1_contract(watched: Watched) -> None:
    page = watched.page
    page.goto("/docs/")
    score = page.locator(".opblock-post .opblock-summary-path").filter(has_text=re.compile(r"^/v1/score$"))
    expect(score).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Unable to render")
    expect(page.locator(".info .title")).to_contain_text("OAS 3.1")
    watched.assert_clean()
