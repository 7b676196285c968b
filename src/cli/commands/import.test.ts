import { expect, it } from 'vitest';
import { progressPrinter } from './import.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { out: { isTTY, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream, chunks };
}

const importing = (processed: number) => ({ phase: 'importing' as const, processed, total: 200 });

it('draws one progress bar line on a terminal, redrawn in place, ending with a newline', () => {
  const { out, chunks } = fakeStream(true);
  const bar = progressPrinter(out);
  bar.update({ phase: 'validating', processed: 0, total: 200 });
  bar.update(importing(50));
  bar.update(importing(200));
  bar.update({ phase: 'done', processed: 200, total: 200 });
  expect(chunks.every((c, i) => i === chunks.length - 1 || c.startsWith('\r\x1b[2K'))).toBe(true);
  expect(chunks[1]).toBe('\r\x1b[2K[########......................]  25% Importing 50 of 200 rows');
  expect(chunks[2]).toBe('\r\x1b[2K[##############################] 100% Importing 200 of 200 rows');
  expect(chunks.at(-1)).toBe('\n');
});

it('prints plain lines, one per phase and per 10 %, when not a terminal', () => {
  const { out, chunks } = fakeStream(false);
  const bar = progressPrinter(out);
  bar.update({ phase: 'validating', processed: 0, total: 200 });
  for (let n = 0; n <= 200; n += 5) bar.update(importing(n));
  bar.update({ phase: 'done', processed: 200, total: 200 });
  expect(chunks.join('')).not.toContain('\r');
  expect(chunks[0]).toBe('Checking 200 rows…\n');
  expect(chunks.slice(1).map((c) => c.split('%')[0])).toEqual([
    '0',
    '10',
    '20',
    '30',
    '40',
    '50',
    '60',
    '70',
    '80',
    '90',
    '100',
  ]);
  expect(chunks.at(-1)).toBe('100% Importing 200 of 200 rows\n');
});
