// Talks to POST /v1/score, the only endpoint the page uses, and turns every failure into
// a Problem the page can show: RFC 9457 bodies as sent, anything else described in words.

export class Problem extends Error {
  constructor({
    status = 0, title, detail = "", type = "", errors = [], unavailable = [], retryAfter = null, requestId = "",
  }) {
    super(title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.type = type;
    this.errors = errors;
    this.unavailable = unavailable;
    this.retryAfter = retryAfter;
    this.requestId = requestId;
  }

  /** The last part of the problem's type: "busy" for urn:copydesk:problem:busy. */
  get kind() {
    return this.type.split(":").at(-1);
  }
}

/**
 * Score a request body; resolves to the report or rejects with a Problem.
 * @param {object} body the ScoreRequest of openapi.yaml
 * @param {string} apiKey sent as a Bearer token when not empty
 */
export async function score(body, apiKey = "") {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
  let response;
  try {
    response = await fetch("/v1/score", { method: "POST", headers, body: JSON.stringify(body) });
  } catch {
    throw new Problem({
      title: "The service did not answer",
      detail: "The request could not reach copydesk. Is it still running?",
    });
  }
  const type = response.headers.get("Content-Type") || "";
  const payload = type.includes("json") ? await response.json().catch(() => null) : null;
  if (response.ok && payload) return payload;
  if (payload && type.includes("application/problem+json")) {
    throw new Problem({
      status: response.status,
      title: payload.title || `Error ${response.status}`,
      detail: payload.detail || "",
      type: payload.type || "",
      errors: Array.isArray(payload.errors) ? payload.errors : [],
      unavailable: Array.isArray(payload.unavailable) ? payload.unavailable : [],
      retryAfter: response.headers.get("Retry-After"),
      requestId: typeof payload.request_id === "string" ? payload.request_id : "",
    });
  }
  throw new Problem({
    status: response.status,
    title: `The service answered ${response.status} ${response.statusText}`.trim(),
    detail: "The answer was not a report nor a problem description.",
  });
}
