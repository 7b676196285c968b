import { describe, expect, it } from 'vitest';
import { ledgerSourceType, sanitizeFilename } from './index.js';

describe('ledger source type of a claim', () => {
  it('keeps a type the program counts, and files a webinar as an online course where the program has those', () => {
    expect(ledgerSourceType('webinar', ['webinar', 'online-course'])).toBe('webinar');
    expect(ledgerSourceType('webinar', ['online-course'])).toBe('online-course');
    expect(ledgerSourceType('webinar', ['state-association'])).toBe('webinar');
    expect(ledgerSourceType('state-association', ['online-course'])).toBe('state-association');
  });
});

describe('stored file names', () => {
  const pdf = (name: string) => sanitizeFilename(name, 'application/pdf');
  it('drops only the last extension', () => {
    expect(pdf('my.report.v2.PDF')).toBe('my.report.v2.pdf');
  });
  it('composes accents (NFC) instead of replacing the combining mark', () => {
    expect(pdf('Cafe\u0301 receipt.pdf')).toBe('Caf\u00e9 receipt.pdf');
  });
  it('replaces a run of unusual characters with one underscore and collapses spaces', () => {
    expect(pdf('a$$%b.pdf')).toBe('a_b.pdf');
    expect(pdf('a    b.pdf')).toBe('a b.pdf');
    expect(pdf('report   .pdf')).toBe('report.pdf');
  });
  it('removes every leading dot, space, underscore and dash', () => {
    expect(pdf('.._- x.pdf')).toBe('x.pdf');
  });
  it('keeps at most 90 characters of the name', () => {
    expect(pdf(`${'a'.repeat(120)}.pdf`)).toBe(`${'a'.repeat(90)}.pdf`);
  });
});
