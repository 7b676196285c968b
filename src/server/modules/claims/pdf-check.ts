/**
 * Does an uploaded PDF carry JavaScript? Looks for the /JavaScript and /JS
 * names in the file and inside its compressed (FlateDecode) streams, where
 * object streams can hide them.
 */
import { inflateSync } from 'node:zlib';
import { pdfHasJavaScript } from '../../../domain/claims/index.js';

const MAX_INFLATED = 50 * 1024 * 1024;

export function pdfJavaScriptFound(bytes: Buffer): boolean {
  const text = bytes.toString('latin1');
  if (pdfHasJavaScript(text)) return true;
  let inflated = 0;
  const re = /(?<!end)stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    try {
      let stop = end;
      while (stop > start && (bytes[stop - 1] === 0x0a || bytes[stop - 1] === 0x0d)) stop--;
      const out = inflateSync(bytes.subarray(start, stop), { maxOutputLength: MAX_INFLATED });
      inflated += out.length;
      if (pdfHasJavaScript(out.toString('latin1'))) return true;
    } catch {
      // Not a Flate stream (or truncated): nothing to inspect inside.
    }
    if (inflated > MAX_INFLATED) return true; // a decompression bomb is not accepted either
    re.lastIndex = end;
  }
  return false;
}
