// eslint-disable-next-line no-restricted-imports -- the test shows what the library's Alert gets wrong
import { Alert as LibraryAlert } from '@trussworks/react-uswds';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { htmlProblems, pageAround } from '../testing/htmlValidity';
import { Alert } from './Alert';

// An alert as our pages fill them: a paragraph and a list under the heading.
const body = (
  <>
    <p>What is still missing:</p>
    <ul>
      <li>Year Two courses</li>
    </ul>
  </>
);

describe('Alert', () => {
  it('holds paragraphs and lists and is valid HTML', async () => {
    const html = renderToStaticMarkup(
      <Alert type="info" headingLevel="h2" heading="Not yet certified">
        {body}
      </Alert>,
    );
    expect(html).toContain('<div class="usa-alert__text"><p>What is still missing:</p><ul>');
    expect(await htmlProblems(pageAround(html))).toEqual([]);
  });

  it('draws the USWDS alert: type, slim, no icon, heading level, role and extra classes', () => {
    const html = renderToStaticMarkup(
      <Alert
        type="success"
        headingLevel="h3"
        heading="Saved"
        slim
        noIcon
        role="status"
        className="margin-y-2"
      >
        The draft was saved.
      </Alert>,
    );
    expect(html).toBe(
      '<div class="usa-alert usa-alert--success usa-alert--slim usa-alert--no-icon margin-y-2" role="status">' +
        '<div class="usa-alert__body"><h3 class="usa-alert__heading">Saved</h3>' +
        '<div class="usa-alert__text">The draft was saved.</div></div></div>',
    );
  });

  // Why the project has its own: the library's Alert puts its text in a <p>.
  it('the check catches what the library Alert makes of the same content (a <p> inside a <p>)', async () => {
    const html = renderToStaticMarkup(
      <LibraryAlert type="info" headingLevel="h2" heading="Not yet certified">
        {body}
      </LibraryAlert>,
    );
    const problems = await htmlProblems(pageAround(html));
    expect(problems.some((p) => p.startsWith('no-implicit-close: Element <p> is implicitly closed'))).toBe(
      true,
    );
  });
});
