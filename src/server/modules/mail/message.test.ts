/** The message builder: one list of blocks, a text part and an escaped, accessible HTML part. */
import { describe, expect, it } from 'vitest';
import { appendBlocks, composeEmail, heading, htmlFromText, link, list, paragraph } from './message.js';

describe('composeEmail', () => {
  const m = composeEmail('Your <certificate> & more', [
    paragraph('Dear Ann "O\'Hara" <script>alert(1)</script>,'),
    heading('What to do next'),
    list(
      link('Download your certificate', 'https://cert.example.gov/awards/1?a=1&b=2'),
      'Show it <b>proudly</b>',
    ),
    paragraph('Also: ', link('Verify it', 'https://cert.example.gov/verify/KS-2027-000001')),
  ]);

  it('writes both parts from the same content, with the links in each', () => {
    expect(m.text).toContain('Dear Ann "O\'Hara" <script>alert(1)</script>,');
    expect(m.text).toContain('- Download your certificate: https://cert.example.gov/awards/1?a=1&b=2');
    expect(m.text).toContain('Also: Verify it: https://cert.example.gov/verify/KS-2027-000001');
    expect(m.html).toContain(
      '<a href="https://cert.example.gov/awards/1?a=1&amp;b=2">Download your certificate</a>',
    );
    expect(m.html).toContain('<a href="https://cert.example.gov/verify/KS-2027-000001">Verify it</a>');
  });

  it('escapes every interpolated value in the HTML', () => {
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<b>');
    expect(m.html).toContain('Dear Ann &quot;O&#39;Hara&quot; &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(m.html).toContain('<title>Your &lt;certificate&gt; &amp; more</title>');
  });

  it('is a simple, accessible document: lang, title, headings, paragraphs, a list, no tables or images', () => {
    expect(m.html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(m.html).toContain('<h1>Your &lt;certificate&gt; &amp; more</h1>');
    expect(m.html).toContain('<h2>What to do next</h2>');
    expect(m.html).toMatch(/<ul>\n<li>.*<\/li>\n<li>Show it &lt;b&gt;proudly&lt;\/b&gt;<\/li>\n<\/ul>/);
    expect(m.html).not.toMatch(/<table|<img/);
  });

  it('never makes a link of a javascript: address', () => {
    const bad = composeEmail('x', [paragraph(link('Click', 'javascript:alert(1)'))]);
    expect(bad.html).not.toContain('href');
    expect(bad.html).toContain('Click: javascript:alert(1)');
  });

  it('adds a footer to both parts', () => {
    const f = appendBlocks(m, [paragraph(link('Turn these off', 'https://cert.example.gov/profile'))]);
    expect(f.text).toMatch(/\n--\nTurn these off: https:\/\/cert\.example\.gov\/profile\n$/);
    expect(f.html).toMatch(
      /<hr>\n<p><a href="https:\/\/cert\.example\.gov\/profile">Turn these off<\/a><\/p>\n<\/body>/,
    );
  });

  it('gives a text-only message an HTML part with its paragraphs and links', () => {
    const html = htmlFromText(
      'Hi',
      'Hello <Ann>,\n\nChoose here:\nhttps://x.example/set?token=abc&x=1\n\nBye',
    );
    expect(html).toContain('<p>Hello &lt;Ann&gt;,</p>');
    expect(html).toContain(
      '<p>Choose here:<br>\n<a href="https://x.example/set?token=abc&amp;x=1">https://x.example/set?token=abc&amp;x=1</a></p>',
    );
  });
});
