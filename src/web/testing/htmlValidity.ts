/**
 * HTML validity of what the web app renders, checked with html-validate: by
 * the e2e harness on the live DOM of every page a journey visits (next to
 * axe), and by unit tests on components rendered to static markup. Test code
 * only: nothing in the app imports it.
 *
 * The input is serialized markup (Playwright's `page.content()` or
 * `renderToStaticMarkup`), never a file someone typed, so the rules about how
 * source is written are off below; the rules about what the markup means
 * (nesting, ids, labels, the WCAG techniques) stay on.
 */
import { HtmlValidate, type ConfigData, type Message } from 'html-validate';

export const htmlValidityConfig: ConfigData = {
  extends: ['html-validate:recommended'],
  rules: {
    // The serializer writes `<!DOCTYPE html>` whatever index.html says.
    'doctype-style': 'off',
    // The serializer always writes double quotes.
    'attr-quotes': 'off',
    // The serializer writes void elements as `<br>`; there is no source style to keep.
    'void-style': 'off',
    // The serializer writes boolean attributes as `disabled=""`.
    'attribute-boolean-style': 'off',
    // The serializer writes empty attributes as `alt=""`.
    'attribute-empty-style': 'off',
    // HTML attribute names are case-insensitive; React's server renderer writes its own spelling
    // (`maxLength`, `noValidate`) where the browser's serializer lowercases.
    'attr-case': 'off',
    // Whitespace in serialized text nodes comes from JSX layout, not from a file anyone edits.
    'no-trailing-whitespace': 'off',
    // A title's length is a search-engine preference, not validity; page titles name the page and the app.
    'long-title': 'off',
    // Bar lengths (reports, award progress) are computed from the data: a stylesheet cannot hold
    // them. Every other property belongs in a class.
    'no-inline-style': ['error', { allowedProperties: ['display', 'width'] }],
    // React's useId makes ids like `_r_3_`: valid HTML (any id without whitespace); the strict
    // form (a letter first) only helps hand-written CSS selectors, and we select by class.
    'valid-id': ['error', { relaxed: true }],
    // A group of checkboxes sharing one name is how a form submits several values (the roles).
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
    // ARIA lets an author name a list (role list); our lists of download links, recovery codes
    // and map legend items are named so a screen reader says which list it is. Elements that
    // cannot be named (a plain div or span) are still refused.
    'aria-label-misuse': ['error', { allowAnyNamable: true }],
  },
};

let validator: HtmlValidate | undefined;

/** One readable line per problem html-validate finds in `html`: rule, message, where. */
export async function htmlProblems(html: string): Promise<string[]> {
  validator ??= new HtmlValidate(htmlValidityConfig);
  const report = await validator.validateString(html);
  const lines = html.split('\n');
  return report.results.flatMap((r) => r.messages.map((m) => describe(m, lines)));
}

function describe(m: Message, lines: string[]): string {
  const line = lines[m.line - 1] ?? '';
  const at = Math.max(0, m.column - 1);
  const snippet = line.slice(Math.max(0, at - 40), at + 80).trim();
  return `${m.ruleId}: ${m.message} — at ${m.selector ?? `${m.line}:${m.column}`} — …${snippet}…`;
}

/** A whole page around markup rendered on its own (a component), so the document rules hold. */
export function pageAround(body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><title>Test</title></head><body><main>${body}</main></body></html>`;
}
