// Small helpers to build the page's elements: names for sections and severities, and the
// severity icons that go with every severity colour (colour is never the only cue).

export const SECTIONS = ["grammar", "readability", "phrasing", "clickbait"];
export const SEVERITIES = ["error", "warning", "suggestion"];
export const SECTION_NAMES = { grammar: "Grammar", readability: "Readability", phrasing: "Phrasing", clickbait: "Clickbait" };
export const SEVERITY_NAMES = { error: "Error", warning: "Warning", suggestion: "Suggestion" };

const SVG = "http://www.w3.org/2000/svg";
// error: a round sign with "!"; warning: a triangle with "!"; suggestion: a round "i".
const ICON_SHAPES = {
  error: [["circle", { cx: 8, cy: 8, r: 7 }], ["path", { d: "M8 4.2v4.6M8 11.4v.4", class: "glyph" }]],
  warning: [["path", { d: "M8 1.3 15.2 14.3H.8Z" }], ["path", { d: "M8 5.8v3.9M8 11.8v.3", class: "glyph" }]],
  suggestion: [["circle", { cx: 8, cy: 8, r: 7 }], ["path", { d: "M8 7.3v4.5M8 4.4v.3", class: "glyph" }]],
};

/** Create an element: el("p", {class: "x"}, "text", child, ...). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "dataset") Object.assign(element.dataset, value);
    else if (name === "text") element.textContent = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

export function severityIcon(severity) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", `icon sev-icon-${severity}`);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  for (const [tag, attributes] of ICON_SHAPES[severity] || []) {
    const shape = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) shape.setAttribute(name, String(value));
    svg.append(shape);
  }
  return svg;
}

/** A severity as icon and word, e.g. "▲ Warning". */
export function severityBadge(severity) {
  return el("span", { class: `sev-badge sev-${severity}` }, severityIcon(severity), SEVERITY_NAMES[severity] || severity);
}

export function sectionChip(section) {
  return el("span", { class: `sec-chip sec-${section}` }, SECTION_NAMES[section] || section);
}

export function formatNumber(value, digits = 1) {
  return typeof value === "number" ? value.toFixed(digits).replace(/\.0+$/, "") : "–";
}
