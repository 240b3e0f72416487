// WCAG 2.x contrast of what the page shows, from Chromium's computed styles: every visible
// piece of text (and generated text, input values, placeholders) against the background it
// sits on, the non-text cues (severity icons, a highlight's underline, the focus ring) against
// theirs, and the boundary that identifies each control (SC 1.4.11). With `{ focus: true }`, it
// puts the focus on every control that takes it instead, and measures the ring each one shows.
// Evaluated by tests/browser/test_playground.py; returns the failures, with the pairs it
// measured counted by kind.
(options) => {
  const focus = Boolean(options?.focus);
  const parse = (value) => {
    const parts = (value.match(/[\d.]+/g) || []).map(Number);
    if (!/^rgba?\(/.test(value) || parts.length < 3) throw new Error(`not an sRGB colour: ${value}`);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  // `top` over `bottom` (opaque), by its alpha.
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const channel = (c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  // The colour behind an element: its own background and its ancestors', composed down to
  // the first opaque one (the root's always is).
  const backdrop = (element) => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour.a > 0) layers.push(colour);
      if (colour.a === 1) break;
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
  };
  const shown = (element) => element.checkVisibility({ visibilityProperty: true, opacityProperty: true })
    && element.getClientRects().length > 0;
  const name = (element) => {
    const classes = [...element.classList].slice(0, 3).map((c) => `.${c}`).join("");
    return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${classes}`;
  };
  const hex = (c) => `#${[c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
  const failures = [];
  const measured = { text: 0, "non-text": 0, boundary: 0, "focus ring": 0 };
  const hold = (kind, what, colour, behind, needed, sample) => {
    const fg = over(colour, behind);
    const value = ratio(fg, behind);
    measured[kind] += 1;
    if (value < needed - 0.005) {
      failures.push(`${what}: ${hex(fg)} on ${hex(behind)} is ${value.toFixed(2)}:1, needs ${needed}:1`
        + (sample ? ` (“${sample.slice(0, 40)}”)` : ""));
    }
  };
  // Large text (24 px, or 18.66 px bold) needs 3:1; other text 4.5:1.
  const needs = (style) => {
    const size = parseFloat(style.fontSize);
    return size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700) ? 3 : 4.5;
  };

  // The focus ring of the focused element, against the colour around it (the ring stands off it).
  const ring = (element) => {
    const style = getComputedStyle(element);
    if (style.outlineStyle === "none" || parseFloat(style.outlineWidth) === 0) {
      failures.push(`${name(element)}: no focus ring`);
      return;
    }
    hold("focus ring", `${name(element)} focus ring`, parse(style.outlineColor), backdrop(element.parentElement), 3);
  };
  if (focus) {
    // The pop-over's buttons first: focusing a mark replaces them. A key press first makes the
    // page take later focus() calls as the keyboard's, which :focus-visible rings.
    const popover = [...document.querySelectorAll("#popover button")];
    const rest = [...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
      .filter((element) => !popover.includes(element));
    for (const element of [...popover, ...rest]) {
      if (!element.isConnected || element.tabIndex < 0 || element.disabled || !shown(element)) continue;
      element.focus({ preventScroll: true });
      if (document.activeElement === element) ring(element);
      else failures.push(`${name(element)}: does not take the focus`);
    }
    return { failures, measured };
  }

  // What identifies a control (SC 1.4.11), 3:1 against the colour around it: its border where it
  // has one (against what is inside it too), else its fill, else (a button drawn as a link) its
  // underline; a ticked box's accent colour. An unticked box is drawn by Chromium, as it draws it.
  const boundary = (control) => {
    const style = getComputedStyle(control);
    const around = backdrop(control.parentElement);
    if (control.type === "checkbox") {
      if (control.checked) hold("boundary", `${name(control)} ticked`, parse(style.accentColor), around, 3);
      return;
    }
    const fill = over(parse(style.backgroundColor), around);
    const borders = new Set(["Top", "Right", "Bottom", "Left"]
      .filter((side) => style[`border${side}Style`] !== "none" && parseFloat(style[`border${side}Width`]) > 0)
      .map((side) => style[`border${side}Color`])
      .filter((colour) => parse(colour).a > 0));
    if (borders.size) {
      for (const colour of borders) {
        hold("boundary", `${name(control)} border`, parse(colour), around, 3);
        if (hex(fill) !== hex(around)) hold("boundary", `${name(control)} border inside`, parse(colour), fill, 3);
      }
    } else if (hex(fill) !== hex(around)) {
      hold("boundary", `${name(control)} fill`, fill, around, 3);
    } else if (style.textDecorationLine.includes("underline")) {
      hold("boundary", `${name(control)} underline`, parse(style.textDecorationColor), around, 3);
    } else {
      failures.push(`${name(control)}: nothing marks it out as a control`);
    }
  };
  for (const control of document.querySelectorAll("input:not([type=hidden]), textarea, select, button")) {
    if (shown(control)) boundary(control);
  }

  for (const element of document.querySelectorAll("body *")) {
    if (!shown(element) || element.closest("svg")) continue;
    const style = getComputedStyle(element);
    const behind = backdrop(element);
    const own = [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE && node.data.trim());
    if (own.length) hold("text", name(element), parse(style.color), behind, needs(style), own[0].data.trim());
    if (element.matches("input:not([type=checkbox]), textarea, select")) {
      if (element.value) hold("text", `${name(element)} value`, parse(style.color), behind, needs(style), element.value);
      if (element.placeholder && !element.value) {
        const placeholder = getComputedStyle(element, "::placeholder");
        hold("text", `${name(element)}::placeholder`, parse(placeholder.color), behind, needs(placeholder),
          element.placeholder);
      }
    }
    for (const pseudo of ["::before", "::after"]) {
      const generated = getComputedStyle(element, pseudo);
      if (/^["']/.test(generated.content) && generated.content.length > 2) {
        hold("text", `${name(element)}${pseudo}`, parse(generated.color), behind, needs(generated), generated.content);
      }
    }
    // Non-text cues need 3:1 against what is next to them.
    if (element.matches("mark.hl:not(.is-muted)") && style.borderBottomStyle !== "none") {
      hold("non-text", `${name(element)} underline`, parse(style.borderBottomColor), behind, 3);
    }
    if (element === document.activeElement && style.outlineStyle !== "none") ring(element);
  }
  for (const icon of document.querySelectorAll("svg.icon")) {
    if (!shown(icon)) continue;
    const behind = backdrop(icon.parentElement);
    const shape = getComputedStyle(icon);
    hold("non-text", `${name(icon.parentElement)} > svg.${icon.classList[1]}`, parse(shape.fill), behind, 3);
    const glyph = icon.querySelector(".glyph");
    if (glyph) {
      hold("non-text", `${name(icon.parentElement)} > svg.${icon.classList[1]} glyph`,
        parse(getComputedStyle(glyph).stroke), over(parse(shape.fill), behind), 3);
    }
  }
  return { failures, measured };
}
