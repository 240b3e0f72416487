// The playground: reads the form, asks /v1/score, and lays the report out. State lives
// here; rendering is in report.js and highlight.js, offsets in offsets.js, HTTP in api.js.

import { Problem, score } from "./api.js";
import { SECTION_NAMES, SECTIONS, SEVERITIES, SEVERITY_NAMES, el, severityIcon } from "./dom.js";
import { markUp } from "./highlight.js";
import { CodePoints, codePointLength } from "./offsets.js";
import {
  collectFindings, findingDetails, legendItems, renderFilters, renderFindingsList, renderReadability, renderSummary,
} from "./report.js";

const $ = (id) => document.getElementById(id);
const form = $("check-form");
const inputs = {
  title: $("title"), text: $("text"), format: $("format"), language: $("language"),
  allowPartial: $("allow-partial"), apiKey: $("api-key"), apiKeyField: $("api-key-field"),
};
const button = $("check-button");
const statusLine = $("status");
const errorBox = $("error");
const results = $("results");
const docTitle = $("doc-title");
const doc = $("doc");
const popover = $("popover");
const list = $("findings-list");

const state = {
  report: null,
  request: null,
  findings: [],
  marks: new Map(),
  shownSections: new Set(SECTIONS),
  shownSeverities: new Set(SEVERITIES),
  busy: false,
};

if (document.documentElement.dataset.apiKeys === "on") inputs.apiKeyField.hidden = false;
$("legend").replaceChildren(...legendItems());

// The longest headline and article together that /v1/score takes, in code points: written into
// the page by the service from its setting (COPYDESK_MAX_TEXT_CHARS); none when the page is not
// served by copydesk.
const textLimit = Number.parseInt(document.documentElement.dataset.maxTextChars, 10) || null;
const counter = $("text-count");
const counterChange = $("text-count-change");
const numbers = new Intl.NumberFormat("en-GB");
// From this share of the limit the count warns, before the text is too long.
const NEAR_LIMIT = 0.9;
let countState = "within"; // "within", "near" (amber) or "over" (red)

/** The code points of a request body's article and headline: what the service counts against its limit. */
function sentLength(body) {
  return codePointLength(body.text) + (body.title ? codePointLength(body.title) : 0);
}

/** Count the headline and article as the service will (the headline only when it is sent). */
function countText() {
  const length = sentLength(buildRequest());
  const count = `${numbers.format(length)}${textLimit ? ` of ${numbers.format(textLimit)}` : ""} `
    + `character${length === 1 && !textLimit ? "" : "s"}, headline included`;
  let state = "within";
  if (textLimit !== null && length > textLimit) state = "over";
  else if (textLimit !== null && length >= NEAR_LIMIT * textLimit) state = "near";
  counter.classList.toggle("is-over", state === "over");
  counter.classList.toggle("is-near", state === "near");
  const left = textLimit - length;
  if (state === "over") {
    counter.replaceChildren(severityIcon("error"), `${count}. Too long to check: cut ${numbers.format(-left)}.`);
    inputs.text.setAttribute("aria-invalid", "true");
  } else {
    if (state === "near") {
      counter.replaceChildren(severityIcon("warning"),
        `${count}. ${left ? `Close to the limit: ${numbers.format(left)} left.` : "At the limit."}`);
    } else {
      counter.textContent = count;
    }
    inputs.text.removeAttribute("aria-invalid");
  }
  // Said aloud only when the text comes near the limit, goes over it or back under it, not at every key.
  if (state !== countState) {
    if (state === "over") counterChange.textContent = `Too long to check: ${count}.`;
    else if (countState === "over") counterChange.textContent = `Within the limit again: ${count}.`;
    else if (state === "near") {
      counterChange.textContent = left ? `Close to the limit: ${count}, ${numbers.format(left)} left.` : `At the limit: ${count}.`;
    }
  }
  countState = state;
}
for (const input of [inputs.title, inputs.text]) input.addEventListener("input", countText);
countText();

form.addEventListener("submit", (event) => {
  event.preventDefault();
  check();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    check();
  }
});

function buildRequest() {
  const body = {
    text: inputs.text.value,
    format: inputs.format.value,
    language: inputs.language.value,
    checks: [...form.querySelectorAll('input[name="checks"]:checked')].map((box) => box.value),
    allow_partial: inputs.allowPartial.checked,
  };
  if (inputs.title.value.trim()) body.title = inputs.title.value;
  return body;
}

async function check({ focusAfter = null } = {}) {
  if (state.busy) return;
  state.busy = true;
  // The report about to be replaced is busy, so a screen reader waits for the new one; the form
  // is not, since the status line in it says "Checking…" and then the outcome (politely). The
  // button is aria-disabled rather than disabled: a disabled button loses the focus, and a
  // keyboard user who pressed it would be left at the top of the page.
  button.setAttribute("aria-disabled", "true");
  results.setAttribute("aria-busy", "true");
  statusLine.textContent = "Checking…";
  const body = buildRequest();
  const started = performance.now();
  try {
    const report = await score(body, inputs.apiKey.value.trim());
    errorBox.hidden = true;
    state.report = report;
    state.request = { text: body.text, title: body.title ?? "" };
    render();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const partial = report.complete ? "" : " Partial report: a check could not run.";
    statusLine.textContent = `Checked in ${seconds} s: score ${report.score}, ${report.verdict}, `
      + `${report.counts.total} finding${report.counts.total === 1 ? "" : "s"}.${partial}`;
    if (focusAfter) focusAfter();
  } catch (error) {
    const problem = error instanceof Problem ? error : new Problem({ title: "The page failed", detail: String(error) });
    statusLine.textContent = `Not checked: ${showProblem(problem, body)}.`;
  } finally {
    state.busy = false;
    button.removeAttribute("aria-disabled");
    results.removeAttribute("aria-busy");
    // The element with the focus may be gone with the old report or hidden (a finding in the
    // list, the pop-over's suggestion, the error box's button): a keyboard user would be left at
    // the top of the page. The Check button, beside the status line that says what happened.
    if (focusLost()) button.focus();
  }
}

/** Whether the focus has fallen back to the page, its element removed or hidden. */
function focusLost() {
  const focused = document.activeElement;
  return !focused || focused === document.body || !focused.isConnected || focused.closest("[hidden]") !== null;
}

const PROBLEM_HEADINGS = {
  401: "An API key is needed",
  403: "This API key is not allowed",
  408: "The article did not arrive in time",
  413: "The article is too long to check",
  422: "Some fields need fixing",
  429: "Too many checks in a short time",
  503: "A check could not run",
};
// Kinds of problem whose heading is not their status's (a 503 `busy` is not a check that failed).
const KIND_HEADINGS = { busy: "The service is busy" };
// The form's own labels for the fields a 422 names (text, checks[0]...), so an editor sees which
// box to fix; a field the form does not have keeps the API's name.
const FIELD_LABELS = { text: "Article", title: "Headline", checks: "Checks", format: "Format", language: "Language" };

/** How long to wait, from a Retry-After header (seconds, or an HTTP date); null without one. */
function retryAfterSeconds(value) {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

/** A wait in words: "1 second", "45 seconds", "about 3 minutes". */
function waitInWords(seconds) {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `about ${Math.round(seconds / 60)} minutes`;
}

/**
 * What an editor is told about a problem the page knows, in its own words: the API's title and
 * detail are written for API clients and operators (they name fields and COPYDESK_ settings).
 * `wait` is the problem's Retry-After in seconds, or null. Returns paragraphs, or null for a
 * problem the page has no words for.
 */
function problemInWords(problem, sent, wait) {
  // When to send it again (`otherwise` without a Retry-After), and that nothing typed is lost.
  const later = (otherwise) => `${wait ? `Try again in ${waitInWords(wait)}` : otherwise}; `
    + "your text stays in the form.";
  switch (problem.status) {
    case 401:
    case 403:
      return ["Enter your key in the API key field and check again."];
    case 408:
      return ["The connection was too slow to send the article. Check again; your text stays in the form."];
    case 413: {
      if (problem.kind !== "text-too-long" || !textLimit) {
        return ["The article is more than this service takes in one check. Check the article in parts."];
      }
      const length = sentLength(sent);
      const over = length - textLimit;
      return [`The headline and article have ${numbers.format(length)} characters; this service checks up to `
        + `${numbers.format(textLimit)}. Cut ${numbers.format(over)} character${over === 1 ? "" : "s"}, or check the `
        + "article in parts."];
    }
    case 429:
      return [`The service has had too many checks from here in a short time. ${later("Wait a minute and try again")}`];
    case 503:
      if (problem.kind !== "busy") return null;
      return [`The service is busy with other checks just now. ${later("Wait a moment and try again")}`];
    default:
      return null;
  }
}

/** Show a problem in the error box; returns its heading, for the status line. */
function showProblem(problem, sent) {
  const heading = KIND_HEADINGS[problem.kind] || PROBLEM_HEADINGS[problem.status] || problem.title;
  const parts = [el("h2", {}, heading)];
  const sections = inWords(problem.unavailable.map((name) => SECTION_NAMES[name] || name));
  const wait = retryAfterSeconds(problem.retryAfter);
  const words = problemInWords(problem, sent, wait);
  if (problem.errors.length) {
    // A 422's detail is these same errors joined: list them once.
    parts.push(el("ul", { class: "problem-errors" }, ...problem.errors.map((item) => el("li", {},
      el("strong", {}, FIELD_LABELS[item.field.split(/[.[]/)[0]] || item.field), `: ${item.message}`))));
  } else if (sections) {
    // The detail tells an API client which field to send; an editor has the button below instead.
    parts.push(el("p", {}, `${sections} could not run just now, so nothing was reported.`));
    const partial = `check again with a partial report: the findings of the other checks, without ${sections}.`;
    parts.push(el("p", {}, wait ? `Try again in ${waitInWords(wait)}, or ${partial}`
      : partial[0].toUpperCase() + partial.slice(1)));
  } else if (words) {
    parts.push(...words.map((text) => el("p", {}, text)));
  } else {
    // A problem the page has no words for: the service's own description is all there is.
    if (problem.detail) parts.push(el("p", {}, problem.detail));
    if (wait) parts.push(el("p", {}, `Try again in ${waitInWords(wait)}.`));
  }
  if (problem.status === 503 && problem.kind === "check-unavailable") {
    // A partial report leaves out the checks that could not run; it would not help a busy service.
    const retry = el("button", { type: "button", class: "secondary" }, "Check again with a partial report");
    retry.addEventListener("click", () => {
      inputs.allowPartial.checked = true;
      check();
    });
    parts.push(retry);
  }
  if (problem.status === 401 || problem.status === 403) inputs.apiKeyField.hidden = false;
  if (problem.status) {
    // The request's id is the one in the service's log line: what an operator asks for.
    const meta = [`HTTP ${problem.status}`, problem.type, problem.requestId && `request ${problem.requestId}`];
    parts.push(el("p", { class: "problem-meta muted" }, `For whoever runs copydesk: ${meta.filter(Boolean).join(" · ")}`));
  }
  errorBox.replaceChildren(...parts);
  errorBox.hidden = false;
  if (problem.status === 401 || problem.status === 403) inputs.apiKey.focus();
  return heading;
}

/** Names as a sentence lists them: "Grammar", "Grammar and Phrasing", "Grammar, Phrasing and Clickbait". */
function inWords(names) {
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names.join("");
}

function render() {
  const { report, request } = state;
  state.findings = collectFindings(report);
  results.hidden = false;
  $("skip-link").hidden = false; // before the first report there is no article to skip to
  renderSummary(report, {
    score: $("score"), verdict: $("verdict"), severityCounts: $("severity-counts"), sectionScores: $("section-scores"),
    headlineBody: $("headline-body"), headlinePanel: $("headline-panel"), versions: $("versions"),
  });
  hidePopover();
  state.marks = new Map();
  const placed = new Set();
  for (const [field, container, text] of [["title", docTitle, request.title], ["text", doc, request.text]]) {
    const points = new CodePoints(text);
    const spans = [];
    for (const finding of state.findings) {
      if (finding.field !== field) continue;
      const span = points.span(finding.offset, finding.length);
      // A span that does not hold the finding's text would mark the wrong words: list it only.
      if (text.slice(span.start, span.end) !== finding.text) continue;
      spans.push({ index: finding.index, ...span, finding });
      placed.add(finding.index);
    }
    for (const [index, elements] of markUp(container, text, spans)) state.marks.set(index, elements);
  }
  // A headline the text starts with is marked up there already (its findings point into the text).
  const titleFindings = state.findings.some((finding) => finding.field === "title");
  docTitle.hidden = !request.title || (!titleFindings && request.text.trimStart().startsWith(request.title.trim()));
  doc.classList.toggle("is-empty", !request.text);
  if (!request.text) doc.textContent = "(no article text)";

  const actions = { onApply: applySuggestion, onLocate: locate };
  renderFindingsList(state.findings, list, actions);
  for (const item of list.children) {
    if (!placed.has(Number(item.dataset.index))) item.classList.add("not-placed");
  }
  const bySection = Object.fromEntries(SECTIONS.map((section) => [section, report.counts.by_check[section] || 0]));
  renderFilters($("filter-sections"), SECTIONS, SECTION_NAMES, bySection, state.shownSections, applyFilters, false);
  renderFilters($("filter-severities"), SEVERITIES, SEVERITY_NAMES, report.counts.by_severity, state.shownSeverities,
    applyFilters, true);
  renderReadability(report.checks.readability, state.findings, $("readability-body"),
    document.querySelector(".card.readability"), locate);
  applyFilters();
}

function isShown(finding) {
  return state.shownSections.has(finding.check) && state.shownSeverities.has(finding.severity);
}

function applyFilters() {
  let shown = 0;
  for (const item of list.children) {
    const finding = state.findings[Number(item.dataset.index)];
    item.hidden = !isShown(finding);
    if (!item.hidden) shown += 1;
  }
  for (const [index, elements] of state.marks) {
    const visible = isShown(state.findings[index]);
    elements.forEach((element, fragment) => {
      element.classList.toggle("is-muted", !visible);
      if (fragment === 0) element.tabIndex = visible ? 0 : -1;
    });
  }
  $("findings-shown").textContent = `${shown} of ${state.findings.length}`;
  if (!list.querySelector("li:not([hidden])")) {
    list.dataset.empty = state.findings.length ? "Nothing matches the filters." : "No findings: clean copy.";
  } else {
    delete list.dataset.empty;
  }
}

/** Scroll the article to a finding's highlight and put the focus on it. */
function locate(index) {
  const mark = state.marks.get(index)?.[0];
  if (!mark) return;
  if (!isShown(state.findings[index])) return;
  const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  mark.scrollIntoView({ block: "center", behavior: reduce ? "auto" : "smooth" });
  mark.focus({ preventScroll: true });
  mark.classList.remove("flash");
  void mark.offsetWidth;
  mark.classList.add("flash");
}

/**
 * Put the focus back where an editor was working after a suggestion went in and the text was
 * checked again: on the first finding from the changed place on (in the list when the
 * suggestion was taken from the list, else on its mark), or on the nearest one before it when
 * none follows; on the article only when no finding is left to go to.
 */
function focusFrom(field, offset, inList) {
  const order = (name) => (name === "title" ? 0 : 1);
  const reachable = state.findings.filter((finding) => isShown(finding) && (inList || state.marks.has(finding.index)));
  const target = reachable.find((finding) => order(finding.field) > order(field)
    || (finding.field === field && finding.offset >= offset)) ?? reachable.at(-1);
  if (!target) {
    $("article-card").focus();
  } else if (inList) {
    list.querySelector(`li[data-index="${target.index}"] .quote`).focus();
  } else {
    locate(target.index);
  }
}

async function applySuggestion(finding, replacement, button) {
  if (state.busy) {
    // A check is on its way: it would not take the change, and its report would replace this one.
    statusLine.textContent = "A check is running: apply the suggestion when its report is in.";
    return;
  }
  const field = finding.field === "title" ? inputs.title : inputs.text;
  const checked = finding.field === "title" ? state.request.title : state.request.text;
  if (field.value !== checked) {
    statusLine.textContent = "The text changed since the last check: checking it again first.";
    await check();
    return;
  }
  field.value = new CodePoints(checked).replace(finding.offset, finding.length, replacement);
  countText();
  hidePopover();
  statusLine.textContent = `Replaced “${finding.text}” with “${replacement}”. Checking again…`;
  const inList = list.contains(button);
  await check({ focusAfter: () => focusFrom(finding.field, finding.offset, inList) });
}

// The pop-over: the findings under the pointer or the focus, with their suggestions.
let hideTimer = null;
let popoverOwner = null;
let quietFocus = false; // focus given back to a mark by Esc should not reopen its pop-over

function showPopover(mark) {
  clearTimeout(hideTimer);
  if (popoverOwner === mark && !popover.hidden) return;
  const chain = [];
  for (let node = mark; node && node !== doc && node !== docTitle; node = node.parentElement) {
    if (node.tagName === "MARK" && !node.classList.contains("is-muted")) chain.push(Number(node.dataset.index));
  }
  if (!chain.length) return;
  popover.replaceChildren(...chain.map((index, position) => el("div", { class: `popover-finding sev-${state.findings[index].severity}` },
    ...findingDetails(state.findings[index], { onApply: applySuggestion, headingId: position === 0 ? "popover-title" : null }))));
  if (popoverOwner) popoverOwner.removeAttribute("aria-describedby");
  popoverOwner = mark;
  mark.setAttribute("aria-describedby", "popover");
  popover.hidden = false;
  place(mark);
}

function place(mark) {
  const card = $("article-card").getBoundingClientRect();
  const rects = mark.getClientRects();
  const rect = rects[0] || mark.getBoundingClientRect();
  const width = popover.offsetWidth;
  const left = Math.max(12, Math.min(rect.left - card.left, card.width - width - 12));
  const last = rects[rects.length - 1] || rect;
  popover.style.left = `${left}px`;
  // Right under the mark, no gap: a pointer on its way down to a suggestion goes from the mark
  // straight into the pop-over, never over another mark (an outer one's lowered line, the next
  // line's), which would open that mark's pop-over instead.
  popover.style.top = `${last.bottom - card.top}px`;
}

function hidePopover() {
  clearTimeout(hideTimer);
  popover.hidden = true;
  if (popoverOwner) popoverOwner.removeAttribute("aria-describedby");
  popoverOwner = null;
}

function hideSoon() {
  clearTimeout(hideTimer);
  hideTimer = setTimeout(() => {
    if (!popover.matches(":hover") && !popover.contains(document.activeElement)) hidePopover();
  }, 250);
}

for (const container of [doc, docTitle]) {
  container.addEventListener("mouseover", (event) => {
    const mark = event.target.closest("mark.hl");
    if (mark && !mark.classList.contains("is-muted")) showPopover(mark);
  });
  container.addEventListener("mouseleave", hideSoon);
  container.addEventListener("focusin", (event) => {
    const mark = event.target.closest("mark.hl");
    if (mark && !quietFocus) showPopover(mark);
    quietFocus = false;
  });
  container.addEventListener("focusout", (event) => {
    if (!popover.contains(event.relatedTarget)) hideSoon();
  });
  container.addEventListener("keydown", (event) => {
    const mark = event.target.closest("mark.hl");
    if (!mark) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      showPopover(mark);
      popover.querySelector("button")?.focus();
    } else if (event.key === "Escape") {
      hidePopover();
    }
  });
}
popover.addEventListener("mouseenter", () => clearTimeout(hideTimer));
popover.addEventListener("mouseleave", hideSoon);
popover.addEventListener("keydown", (event) => {
  const owner = popoverOwner;
  if (!owner) return;
  if (event.key === "Escape") {
    hidePopover();
    quietFocus = true;
    owner.focus();
  } else if (event.key === "Tab") {
    // The pop-over comes after the whole article in the page: Tab past its last button goes on
    // to the mark after its own, Shift+Tab before its first back to its own, not out of the text.
    const buttons = popover.querySelectorAll("button");
    if (event.target !== (event.shiftKey ? buttons[0] : buttons[buttons.length - 1])) return;
    const marks = [...document.querySelectorAll("#doc-title mark.hl[tabindex='0'], #doc mark.hl[tabindex='0']")];
    const next = event.shiftKey ? owner : marks[marks.indexOf(owner) + 1];
    if (!next) return;
    event.preventDefault();
    next.focus();
  }
});
popover.addEventListener("focusout", (event) => {
  if (!popover.contains(event.relatedTarget) && event.relatedTarget !== popoverOwner) hideSoon();
});
