// Renders the parts of a report that are not the marked-up text: the scores, the headline
// meter, the readability panel, the list of findings and the details of one finding.

import {
  SECTIONS, SECTION_NAMES, SEVERITIES, el, formatNumber, sectionChip, severityBadge, severityIcon,
} from "./dom.js";

const VERDICTS = {
  pass: { word: "Pass", note: "Ready to run." },
  warn: { word: "Warn", note: "Worth another edit." },
  fail: { word: "Fail", note: "Needs an edit before it runs." },
};

/** Every issue of every section, numbered, in reading order (headline first). */
export function collectFindings(report) {
  const findings = [];
  for (const section of SECTIONS) {
    for (const issue of report.checks[section]?.issues || []) findings.push(issue);
  }
  const fieldOrder = (finding) => (finding.field === "title" ? 0 : 1);
  findings.sort((a, b) => fieldOrder(a) - fieldOrder(b) || a.offset - b.offset || b.length - a.length
    || SECTIONS.indexOf(a.check) - SECTIONS.indexOf(b.check));
  return findings.map((finding, index) => ({ ...finding, index }));
}

export function renderSummary(report, nodes) {
  nodes.score.textContent = formatNumber(report.score);
  const verdict = VERDICTS[report.verdict] || { word: report.verdict, note: "" };
  const thresholds = report.meta?.thresholds;
  nodes.verdict.className = `verdict verdict-${report.verdict}`;
  nodes.verdict.replaceChildren(
    el("span", { class: "verdict-word" }, verdict.word),
    el("span", { class: "verdict-note" }, verdict.note,
      thresholds ? ` Pass from ${thresholds.pass}, warn from ${thresholds.warn}.` : "",
      report.meta?.english === false ? " This text does not read as English, and copydesk's checks read English only." : ""),
  );
  nodes.severityCounts.replaceChildren(...SEVERITIES.map((severity) => el("li", {},
    severityBadge(severity), el("span", { class: "count" }, String(report.counts.by_severity[severity] ?? 0)))));

  const rows = [];
  for (const section of SECTIONS) {
    const result = report.checks[section];
    if (!result) continue;
    const available = result.status === "ok" && typeof result.score === "number";
    const bar = el("span", { class: "bar", "aria-hidden": "true" }, el("span", { class: `bar-fill sec-${section}` }));
    if (available) bar.firstChild.style.width = `${Math.max(2, result.score)}%`;
    rows.push(el("li", { class: available ? "" : "unavailable" },
      el("span", { class: "section-name" }, sectionChip(section)),
      el("span", { class: "section-score" }, available ? formatNumber(result.score) : "n/a"),
      bar,
      el("span", { class: "section-count muted" },
        available ? plural(result.issues.length, "finding")
          : `unavailable${result.error ? `: ${result.error}` : ""}`)));
  }
  nodes.sectionScores.replaceChildren(...rows);
  renderHeadline(report.checks.clickbait, nodes.headlineBody, nodes.headlinePanel);
  nodes.versions.textContent = versions(report.meta?.versions || {});
}

function versions(v) {
  const parts = [`copydesk ${v.copydesk || "?"}`];
  if (v.languagetool) parts.push(`LanguageTool ${v.languagetool}`);
  if (v.clickbait_model) parts.push(`headline model ${v.clickbait_model}`);
  return parts.join(" · ");
}

const SOURCES = { title: "the headline", first_line: "the first line", first_sentence: "the first sentence" };
// The cues shown: terms that push towards clickbait by at least this much log-odds, the ones a
// finding's message quotes (MESSAGE_CUE_WEIGHT in service/checks/clickbait.py).
const CUE_WEIGHT = 1.0;

function renderHeadline(section, body, panel) {
  panel.hidden = !section;
  if (!section) return;
  const headline = section.headline;
  if (!headline) {
    body.replaceChildren(el("p", { class: "muted" },
      "No headline to score: add one above. A first line that ends as a sentence does, breaks off mid-sentence, or only greets, is not taken for one."));
    return;
  }
  const percent = Math.round(headline.probability * 100);
  const clickbait = headline.label === "clickbait";
  // Red from the threshold the model's label used (the service's setting, 0.5 by default), amber
  // from 70% of it: the meter's colour never contradicts the label beside it.
  const threshold = typeof section.threshold === "number" ? section.threshold : 0.5;
  const meter = el("meter", {
    id: "clickbait-meter", min: 0, max: 1, low: Number((threshold * 0.7).toFixed(3)), high: threshold, optimum: 0,
    value: headline.probability, "aria-label": "Clickbait probability",
  });
  const cues = headline.explanation.filter((cue) => cue.weight >= CUE_WEIGHT).slice(0, 6);
  // replaceChildren, unlike el(), would write a null child as the text "null": leave it out.
  body.replaceChildren(...[
    el("div", { class: "meter-row" }, meter,
      el("span", { class: `meter-value ${clickbait ? "is-clickbait" : "is-plain"}` },
        `${percent}%`, el("span", { class: "meter-label" }, clickbait ? "reads as clickbait" : "reads as news"))),
    el("p", { class: "headline-text" }, el("span", { class: "muted" }, `Scored ${SOURCES[headline.source] || "headline"}: `),
      `“${headline.text}”`),
    cues.length
      ? el("div", { class: "cues" }, el("span", { class: "muted" }, "Strongest cues"),
        el("ul", { class: "cue-list" }, ...cues.map((cue) => {
          // Read as "You, weight +4.77": the term and its number shown side by side would run
          // together ("You+4.77"), and words hidden between them are read with a space before.
          const weight = `+${cue.weight.toFixed(2)}`;
          return el("li", { class: "cue" },
            el("span", { "aria-hidden": "true" }, cue.term, el("span", { class: "cue-weight" }, weight)),
            el("span", { class: "visually-hidden" }, `${cue.term}, weight ${weight}`));
        })))
      : null,
  ].filter((child) => child !== null));
}

const METRICS = [
  ["flesch_reading_ease", "Flesch reading ease", "higher is easier"],
  ["flesch_kincaid_grade", "Flesch–Kincaid grade", ""],
  ["gunning_fog", "Gunning fog", ""],
  ["smog_index", "SMOG", ""],
  ["coleman_liau_index", "Coleman–Liau", ""],
  ["automated_readability_index", "ARI", ""],
  ["dale_chall_readability_score", "Dale–Chall", ""],
  ["linsear_write_formula", "Linsear Write", ""],
  ["difficult_words", "Difficult words", ""],
  ["text_standard", "Consensus", ""],
];

export function renderReadability(section, findings, body, card, onLocate) {
  card.hidden = !section;
  if (!section) return;
  if (section.status !== "ok") {
    body.replaceChildren(el("p", { class: "muted" }, `Unavailable${section.error ? `: ${section.error}` : ""}.`));
    return;
  }
  const metrics = section.metrics || {};
  const counts = section.counts || {};
  const minutes = section.reading_time_seconds ? Math.max(1, Math.round(section.reading_time_seconds / 60)) : null;
  const headline = el("p", { class: "grade-line" },
    el("strong", {}, `Grade ${formatNumber(section.grade)}`),
    ` against a target of ${formatNumber(section.target_grade)}`,
    counts.words ? ` · ${plural(counts.words, "word")} in ${plural(counts.sentences, "sentence")}` : "",
    minutes ? ` · about ${minutes} min to read` : "");
  const list = el("dl", { class: "metrics" }, ...METRICS.filter(([key]) => key in metrics).flatMap(([key, name]) => [
    el("div", { class: "metric" }, el("dt", {}, name),
      el("dd", {}, typeof metrics[key] === "number" ? formatNumber(metrics[key]) : String(metrics[key]))),
  ]));
  const hard = findings.filter((finding) => finding.check === "readability" && typeof finding.grade === "number");
  const hardList = hard.length
    ? el("ol", { class: "hard-sentences" }, ...hard.map((finding) => el("li", {},
      el("span", { class: "grade-pill" }, `grade ${formatNumber(finding.grade)}`),
      el("button", { type: "button", class: "link-button", dataset: { locate: String(finding.index) } },
        shorten(finding.text, 180)))))
    : el("p", { class: "muted" }, "No sentence is hard to read.");
  body.replaceChildren(headline, list, renderClarity(section.clarity),
    el("h3", {}, `Hard sentences (${section.hard_sentence_count ?? hard.length})`), hardList);
  body.querySelectorAll("[data-locate]").forEach((button) => {
    button.addEventListener("click", () => onLocate(Number(button.dataset.locate)));
  });
}

// The clarity measures (Hemingway's and Yoast's), in the order the report gives them.
const CLARITY_NAMES = {
  passive_voice: "Passive voice",
  adverbs: "Adverbs",
  long_sentences: "Long sentences",
  long_paragraphs: "Longest paragraph",
  sentence_starts: "Sentences starting alike",
  transition_words: "Transition words",
  subheadings: "Text between subheadings",
  sentence_length_variety: "Sentence length variety",
};

function renderClarity(clarity) {
  if (!clarity) return new DocumentFragment();
  const rows = Object.entries(clarity).map(([key, measure]) => el("tr", { class: `clarity-${measure.band}` },
    el("th", { scope: "row" }, CLARITY_NAMES[key] || key),
    el("td", {}, typeof measure.value === "number" ? `${Number(measure.value.toFixed(2))} ${measure.unit}` : "–"),
    el("td", {}, el("span", { class: `band band-${measure.band}` }, measure.band.replace("_", " ")))));
  // The table scrolls inside its card when a screen is too narrow for it, rather than stick out.
  const scroller = el("div", { class: "table-scroll", role: "region", "aria-labelledby": "clarity-heading" },
    el("table", { class: "clarity-table" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Measure"), el("th", { scope: "col" }, "Value"),
        el("th", { scope: "col" }, "Band"))),
      el("tbody", {}, ...rows)));
  scrollers.observe(scroller);
  return el("div", { class: "clarity" }, el("h3", { id: "clarity-heading" }, "Clarity"), scroller);
}

// A box that scrolls sideways takes the focus, so the keyboard can scroll it too; one that
// fits stays out of the Tab order.
const scrollers = new ResizeObserver((entries) => {
  for (const { target } of entries) {
    if (!target.isConnected) scrollers.unobserve(target);
    else if (target.scrollWidth > target.clientWidth) target.tabIndex = 0;
    else target.removeAttribute("tabindex");
  }
});

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// Browsers without Intl.Segmenter (Firefox before 125) cut between code points instead.
const GRAPHEMES = typeof Intl.Segmenter === "function" ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

/** Where the characters of `text` start, in UTF-16 units. */
function* characterStarts(text) {
  if (GRAPHEMES) {
    for (const { index } of GRAPHEMES.segment(text)) yield index;
    return;
  }
  let index = 0;
  for (const point of text) {
    yield index;
    index += point.length;
  }
}

/** The text cut to fit `limit` UTF-16 units with its ellipsis, between characters as a reader
 * sees them: never through an emoji (half a surrogate pair shows as �) or before its accent. */
function shorten(text, limit) {
  if (text.length <= limit) return text;
  let end = 0;
  for (const index of characterStarts(text)) {
    if (index > limit - 1) break;
    end = index;
  }
  return `${text.slice(0, end).trimEnd()}…`;
}

/** Where a finding comes from: its pack for copydesk's rules, else the engine's name. */
function origin(rule) {
  const source = rule.source || "";
  if (source === "copydesk:model") return "headline model";
  return source.startsWith("copydesk:") ? `pack ${source.slice("copydesk:".length)}` : source;
}

/** Where a finding starts, as an editor counts: "headline, character 3", "line 4, character 12".
 * The report's column counts code points, as the page's character count does. */
function place(finding) {
  const character = `character ${finding.column}`;
  if (finding.field !== "title") return `line ${finding.line}, ${character}`;
  return finding.line === 1 ? `headline, ${character}` : `headline line ${finding.line}, ${character}`;
}

/**
 * The details of a finding, as the list and the pop-over show them.
 * @param {object} finding
 * @param {{onApply: Function, onLocate?: Function, headingId?: string}} actions onApply gets the finding,
 *   the replacement and the button that was pressed
 */
export function findingDetails(finding, { onApply, onLocate, headingId }) {
  const quote = finding.text ? `“${shorten(finding.text, 120)}”` : "(at this place)";
  const head = el("div", { class: "finding-head" }, severityBadge(finding.severity), sectionChip(finding.check),
    el("span", { class: "where muted" }, place(finding)));
  const quoteNode = onLocate
    ? el("button", { type: "button", class: "quote link-button", "aria-label": `Show ${quote} in the article` }, quote)
    : el("p", { class: "quote", id: headingId }, quote);
  if (onLocate) quoteNode.addEventListener("click", () => onLocate(finding.index));
  const suggestions = finding.replacements.length
    ? el("div", { class: "suggestions" }, el("span", { class: "muted" }, "Replace with"),
      ...finding.replacements.map((replacement) => {
        const button = el("button", {
          type: "button", class: "suggestion",
          "aria-label": `Replace ${quote} with “${replacement}”`,
        }, replacement === "" ? "(delete)" : replacement);
        button.addEventListener("click", () => onApply(finding, replacement, button));
        return button;
      }))
    : null;
  return [
    head,
    quoteNode,
    el("p", { class: "message" }, finding.message),
    el("p", { class: "rule muted" }, el("code", {}, finding.rule.id), ` · ${origin(finding.rule)}`,
      finding.probability !== undefined ? ` · p = ${finding.probability.toFixed(2)}` : ""),
    suggestions,
  ];
}

export function renderFindingsList(findings, list, actions) {
  list.replaceChildren(...findings.map((finding) => el("li", {
    class: `finding sev-${finding.severity} sec-${finding.check}`,
    dataset: { index: String(finding.index), check: finding.check, severity: finding.severity },
  }, ...findingDetails(finding, actions))));
}

/** Toggle buttons, one per value, each with its count; returns the set of values shown. */
export function renderFilters(container, values, names, counts, shown, onChange, withIcon) {
  container.replaceChildren(...values.filter((value) => counts[value]).map((value) => {
    const button = el("button", {
      type: "button", class: `filter sev-${value} sec-${value}`, "aria-pressed": String(shown.has(value)),
      dataset: { value },
    }, withIcon ? severityIcon(value) : el("span", { class: `swatch sec-${value}`, "aria-hidden": "true" }),
    names[value], el("span", { class: "filter-count" }, String(counts[value])));
    button.addEventListener("click", () => {
      if (shown.has(value)) shown.delete(value);
      else shown.add(value);
      button.setAttribute("aria-pressed", String(shown.has(value)));
      onChange();
    });
    return button;
  }));
}

export function legendItems() {
  return [
    ...SECTIONS.map((section) => el("li", {}, el("span", { class: `swatch sec-${section}`, "aria-hidden": "true" }),
      SECTION_NAMES[section])),
    ...SEVERITIES.map((severity) => el("li", {}, el("span", { class: `line-sample sev-${severity}`, "aria-hidden": "true" }),
      severityBadge(severity))),
  ];
}
