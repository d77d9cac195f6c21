import Handlebars from "handlebars";

/**
 * The booking confirmation, rendered with Handlebars in an isolated environment.
 *
 * HTML: every value goes through `{{ }}`, which HTML-escapes & < > " ' ` = ; the templates contain
 * no triple-stash `{{{ }}}` (a test checks this), user values sit only in element text (never in an
 * attribute, URL, style or script), and the only helper, `lines`, escapes each line before joining
 * with `<br>`. Both parts compile with `strict`: a field missing from the view is an error instead
 * of an empty string, and so is a name that is neither a field nor a helper registered here
 * (`{{shout x}}` fails as `"shout" not defined`).
 *
 * Plain text: the same values unescaped (text/plain is not interpreted), so "O'Brien" reads right.
 */

/** What the templates receive. Only strings: dates are formatted before rendering. */
export interface ConfirmationView {
  parentName: string;
  studentName: string;
  tutorName: string;
  subject: string;
  when: string;
  duration: string;
  bookingId: string;
  notes?: string;
  adminEmail: string;
}

export const HTML_TEMPLATE = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tutoring session confirmed</title>
</head>
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;color:#1f2933;background:#ffffff">
<h1 style="font-size:20px;margin:0 0 16px">Tutoring session confirmed</h1>
<p>Dear {{parentName}},</p>
<p>Your booking for <strong>{{studentName}}</strong> is confirmed.</p>
<table role="presentation" style="border-collapse:collapse;margin:16px 0">
<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0">Subject</th><td style="padding:4px 0">{{subject}}</td></tr>
<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0">Tutor</th><td style="padding:4px 0">{{tutorName}}</td></tr>
<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0">When</th><td style="padding:4px 0">{{when}}</td></tr>
<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0">Length</th><td style="padding:4px 0">{{duration}}</td></tr>
<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0">Booking reference</th><td style="padding:4px 0">{{bookingId}}</td></tr>
</table>
{{#if notes}}<p><strong>Your notes</strong><br>{{lines notes}}</p>
{{/if}}<p>To change or cancel the session, reply to this email or write to {{adminEmail}}.</p>
<p>My Private Tutor Online</p>
</body>
</html>
`;

export const TEXT_TEMPLATE = `Tutoring session confirmed

Dear {{parentName}},

Your booking for {{studentName}} is confirmed.

Subject: {{subject}}
Tutor: {{tutorName}}
When: {{when}}
Length: {{duration}}
Booking reference: {{bookingId}}
{{#if notes}}
Your notes:
{{notes}}
{{/if}}
To change or cancel the session, reply to this email or write to {{adminEmail}}.

My Private Tutor Online
`;

const html = Handlebars.create();
// Only ever given `notes`, a string (renderConfirmation passes "" when there are none).
html.registerHelper("lines", (text: string) => {
  return new html.SafeString(
    text
      .split(/\r\n|\r|\n/)
      .map((line) => html.escapeExpression(line))
      .join("<br>\n"),
  );
});
const text = Handlebars.create();

/** Compiles one part with `strict` and the part's own options. */
const strict = (env: typeof Handlebars, source: string, options: CompileOptions = {}) => env.compile<ConfirmationView>(source, { ...options, strict: true });
const renderHtml = strict(html, HTML_TEMPLATE);
const renderText = strict(text, TEXT_TEMPLATE, { noEscape: true });

/** Both parts of the confirmation. */
export function renderConfirmation(view: ConfirmationView): { html: string; text: string } {
  // `strict` treats an absent optional field as an error: give it explicitly.
  const data = { ...view, notes: view.notes ?? "" };
  return { html: renderHtml(data), text: renderText(data) };
}
