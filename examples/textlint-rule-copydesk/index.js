// textlint rule that asks a copydesk server (or any LanguageTool server) for its matches.
//
// The document goes to POST /v2/check as LanguageTool's annotated text: the prose nodes
// (Str) as text, everything between them as markup, read as a paragraph break where it holds
// a line break. So offsets come back into the file as written, counted in UTF-16 units like
// JavaScript strings, and are reported where they point.
//
// Options (.textlintrc.json):
//   url          copydesk's base URL (default http://127.0.0.1:8000)
//   language     LanguageTool language code or "auto" (default en-US)
//   parameters   other /v2/check parameters, e.g. {"disabledRules": "style.in-order-to",
//                "disabledCategories": "COPYDESK_STYLE"}
//   timeoutMs    how long to wait for an answer (default 30000)
"use strict";

function annotation(context, document) {
    const source = context.getSource(document);
    const parts = [];
    let at = 0;
    const markup = (end) => {
        if (end > at) {
            const text = source.slice(at, end);
            parts.push({markup: text, interpretAs: text.includes("\n") ? "\n\n" : ""});
        }
    };
    const visit = (node) => {
        if (node.type === context.Syntax.Str) {
            const [start, end] = node.range;
            markup(start);
            parts.push({text: source.slice(start, end)});
            at = end;
        }
        (node.children || []).forEach(visit);
    };
    visit(document);
    markup(source.length);
    return parts;
}

function message(match) {
    const suggestions = (match.replacements || []).slice(0, 3).map((r) => r.value);
    const hint = suggestions.length ? ` (suggestions: ${suggestions.join(", ")})` : "";
    return `${match.message}${hint} [${match.rule.id}]`;
}

module.exports = function copydesk(context, options = {}) {
    const {Syntax, RuleError, report, locator} = context;
    const url = (options.url || "http://127.0.0.1:8000").replace(/\/+$/, "");
    return {
        async [Syntax.Document](node) {
            const body = new URLSearchParams({
                ...(options.parameters || {}),
                language: options.language || "en-US",
                data: JSON.stringify({annotation: annotation(context, node)}),
            });
            const response = await fetch(`${url}/v2/check`, {
                method: "POST",
                body,
                signal: AbortSignal.timeout(options.timeoutMs || 30000),
            });
            if (!response.ok) {
                report(node, new RuleError(`copydesk at ${url} answered ${response.status}: ${await response.text()}`));
                return;
            }
            for (const match of (await response.json()).matches) {
                report(node, new RuleError(message(match), {
                    padding: locator.range([match.offset, match.offset + match.length]),
                }));
            }
        },
    };
};
