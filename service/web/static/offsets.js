// The one place where the page converts offsets. /v1 counts Unicode code points;
// JavaScript strings count UTF-16 units, so a character outside the Basic Multilingual
// Plane (an emoji, say) is one code point but two units. Every other module asks here.

/** Maps the code-point offsets of one string to UTF-16 indices into that same string. */
export class CodePoints {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
    const starts = [];
    for (let i = 0; i < text.length; ) {
      starts.push(i);
      const unit = text.charCodeAt(i);
      const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length
        && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      i += pair ? 2 : 1;
    }
    starts.push(text.length);
    /** UTF-16 index where each code point starts, and the string's end last. */
    this.starts = Uint32Array.from(starts);
  }

  /** Number of code points. */
  get length() {
    return this.starts.length - 1;
  }

  /** UTF-16 index of a code-point offset (clamped to the string). */
  toUtf16(offset) {
    const clamped = Math.max(0, Math.min(offset, this.length));
    return this.starts[clamped];
  }

  /** A finding's [start, end) in UTF-16 units, from its code-point offset and length. */
  span(offset, length) {
    return { start: this.toUtf16(offset), end: this.toUtf16(offset + length) };
  }

  /** The string with code points [offset, offset + length) replaced by `replacement`. */
  replace(offset, length, replacement) {
    const { start, end } = this.span(offset, length);
    return this.text.slice(0, start) + replacement + this.text.slice(end);
  }
}

/** The number of code points of a string, as the service counts a text against its limit. */
export function codePointLength(text) {
  // The string iterator steps by code point, as CodePoints does, without building its table
  // (the page counts on every key, in texts of up to a million characters).
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}
