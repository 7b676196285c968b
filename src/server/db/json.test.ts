import { describe, expect, it } from 'vitest';
import { jsonb } from './json.js';

describe('jsonb', () => {
  it('writes plain values as JSON.stringify does', () => {
    const v = ['a "quoted" \\ value', 2.5, null, true, { é: 'ünïcode 😀' }];
    expect(jsonb(v)).toBe(JSON.stringify(v));
  });

  it('replaces a lone surrogate, which PostgreSQL refuses, and keeps a pair', () => {
    expect(jsonb(['x\ud800y', '\udc00', '😀'])).toBe('["x\ufffdy","\ufffd","😀"]');
  });

  it('leaves text that only looks like an escaped surrogate as it is', () => {
    expect(jsonb('C:\\ud800')).toBe('"C:\\\\ud800"');
    expect(JSON.parse(jsonb('C:\\ud800'))).toBe('C:\\ud800');
  });
});
