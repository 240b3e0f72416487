// Marks findings up in the text they point into. Each finding becomes one <mark> around
// its whole span; a finding contained in another nests inside it, so an overlap stays
// visible. Only when two spans cross does the later one split into fragments (the first
// takes the focus, the others follow it). Offsets come in UTF-16 units (see offsets.js).

/**
 * @typedef {{index: number, start: number, end: number, finding: object}} Span
 * @param {HTMLElement} container emptied and filled with the text and its marks
 * @param {string} text
 * @param {Span[]} spans
 * @returns {Map<number, HTMLElement[]>} each finding's elements, first one first
 */
export function markUp(container, text, spans) {
  container.replaceChildren();
  const elements = new Map();
  const opens = new Map();
  const closes = new Map();
  const points = new Set([0, text.length]);
  for (const span of spans) {
    push(opens, span.start, span);
    if (span.end > span.start) push(closes, span.end, span); // an empty span closes as it opens
    points.add(span.start);
    points.add(span.end);
  }
  const ordered = [...points].sort((a, b) => a - b);
  const stack = [{ span: null, element: container }];

  const open = (span) => {
    const element = document.createElement("mark");
    const parts = elements.get(span.index) || [];
    decorate(element, span, parts.length);
    parts.push(element);
    elements.set(span.index, parts);
    stack.at(-1).element.append(element);
    stack.push({ span, element });
  };

  for (let i = 0; i < ordered.length; i += 1) {
    const point = ordered[i];
    // Close every span ending here, innermost first; only a span that crosses one of them and
    // goes on is reopened (as a fragment). Marks ending together never leave an empty fragment.
    const ending = new Set(closes.get(point) || []);
    const reopen = [];
    while (ending.size && stack.length > 1) {
      const { span } = stack.pop();
      if (!ending.delete(span)) reopen.push(span);
    }
    for (const crossing of reopen.reverse()) open(crossing);
    // Longer spans open first, so they contain the shorter ones starting at the same place.
    const starting = (opens.get(point) || []).slice().sort((a, b) => b.end - a.end || a.index - b.index);
    for (const span of starting) {
      open(span);
      if (span.end === span.start) closeEmpty(stack, span);
    }
    const next = ordered[i + 1];
    if (next !== undefined && next > point) stack.at(-1).element.append(text.slice(point, next));
  }
  for (const mark of container.querySelectorAll("mark")) {
    mark.dataset.stack = String(Math.min(depthBelow(mark), 4));
  }
  return elements;
}

function push(map, key, value) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function closeEmpty(stack, span) {
  const top = stack.pop();
  top.element.classList.add("hl-empty");
  if (top.span !== span) stack.push(top);
}

function decorate(element, span, fragment) {
  const { finding } = span;
  element.className = `hl sec-${finding.check} sev-${finding.severity}`;
  element.dataset.index = String(span.index);
  if (fragment === 0) {
    element.id = `hl-${span.index}`;
    element.tabIndex = 0;
  } else {
    element.dataset.fragment = String(fragment);
  }
}

/** How many levels of marks sit inside this one: outer marks get a lower underline. */
function depthBelow(mark) {
  let deepest = 0;
  for (const child of mark.children) {
    if (child.tagName === "MARK") deepest = Math.max(deepest, 1 + depthBelow(child));
  }
  return deepest;
}
