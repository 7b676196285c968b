/**
 * Demo certificate designs (issue 18 item 6): the Kansas program gets a seal and its director's
 * signature line; the association's CPO program its logo and two signers. The images are drawn
 * here in pixels (no binary file in the repository) and saved through saveDesign, so they pass the
 * same checks as an upload. Loaded before the demo awards, which are issued with these designs.
 * Idempotent: a program that already has a design is left as it is.
 */
import { PNG } from 'pngjs';
import { systemCtx, type Deps } from '../../context.js';
import { saveDesign } from './designs.service.js';

type Rgb = [number, number, number];
const hex = (h: string): Rgb => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;

/** A PNG of `size` pixels square, painting each pixel with `paint(x, y)` (null: transparent). */
function drawPng(size: number, paint: (x: number, y: number) => Rgb | null): string {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const c = paint(x, y);
      const i = (y * size + x) * 4;
      if (c) {
        png.data[i] = c[0];
        png.data[i + 1] = c[1];
        png.data[i + 2] = c[2];
        png.data[i + 3] = 255;
      } else png.data[i + 3] = 0;
    }
  return PNG.sync.write(png).toString('base64');
}

/** A round seal: rings, a band of notches and a five-pointed star. */
export function demoSeal(main: string, gold: string): string {
  const [m, g] = [hex(main), hex(gold)];
  const S = 300;
  return drawPng(S, (x, y) => {
    const dx = x - S / 2 + 0.5;
    const dy = y - S / 2 + 0.5;
    const r = Math.hypot(dx, dy);
    if (r > 148) return null;
    if (r > 138) return g;
    if (r > 132) return Math.floor(((Math.atan2(dy, dx) + Math.PI) / (2 * Math.PI)) * 60) % 2 ? m : g;
    if (r > 126) return m;
    if (r > 120) return [255, 255, 255];
    if (r > 116) return g;
    // A star: the boundary radius swings between outer and inner points five times round.
    const a = Math.atan2(dy, dx) + Math.PI / 2;
    const t = (((a / ((2 * Math.PI) / 5)) % 1) + 1) % 1;
    const edge = 40 + 55 * Math.abs(1 - 2 * t) ** 1.6;
    return r < edge ? g : m;
  });
}

/** A logo: a rounded square with three bars (a building's columns). */
export function demoLogo(main: string, gold: string): string {
  const [m, g] = [hex(main), hex(gold)];
  const S = 200;
  return drawPng(S, (x, y) => {
    const cx = Math.max(0, Math.abs(x - S / 2 + 0.5) - 70);
    const cy = Math.max(0, Math.abs(y - S / 2 + 0.5) - 70);
    if (Math.hypot(cx, cy) > 28) return null;
    if (y > 40 && y < 60 && x > 30 && x < 170) return g; // the lintel
    if (y > 150 && y < 164 && x > 30 && x < 170) return g; // the step
    if (y >= 60 && y <= 150 && [55, 100, 145].some((c) => Math.abs(x - c) < 11)) return [255, 255, 255];
    return m;
  });
}

export async function loadDemoDesigns(deps: Deps): Promise<{ designs: number }> {
  const ctx = systemCtx(deps, 'demo loader');
  const programs = await deps.db
    .selectFrom('program')
    .select(['id', 'code'])
    .where('code', 'in', ['igo-cpo', 'ks-county-election-official'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('certificate_design as d').select('d.id').whereRef('d.program_id', '=', 'program.id'),
        ),
      ),
    )
    .execute();
  for (const p of programs) {
    if (p.code === 'ks-county-election-official')
      await saveDesign(ctx, p.id, {
        heading: 'Certified County Election Official',
        introLine: 'This certifies that',
        metLine: 'has met every requirement of the',
        designationLine: 'and is hereby designated a',
        primaryColor: '#1f3a68',
        accentColor: '#b08d2e',
        border: 'ornate',
        logo: null,
        seal: { png: demoSeal('#1f3a68', '#c9a43a') },
        signers: [
          { name: 'Jordan Ellis', title: 'Director of Elections', signature: null },
          { name: 'Casey Moreno', title: 'Deputy Assistant Secretary of State', signature: null },
        ],
      });
    else
      await saveDesign(ctx, p.id, {
        heading: 'Certified Public Official',
        introLine: 'This certifies that',
        metLine: 'has completed every requirement of the',
        designationLine: 'and is awarded the designation',
        primaryColor: '#5c1a1b',
        accentColor: '#2e6b4f',
        border: 'double',
        logo: { png: demoLogo('#5c1a1b', '#2e6b4f') },
        seal: null,
        signers: [
          { name: 'Pat Morgan', title: 'President, iGO', signature: null },
          { name: 'Lee Carter', title: 'Chair, Certification Committee', signature: null },
        ],
      });
  }
  return { designs: programs.length };
}
