/** Renders an evaluation as plain text for people (the CLI; e-mail bodies). */
import { statusLabel } from './evaluate.js';
import type { EvaluationResult, NodeResult, ProgramDefinition } from './types.js';

const num = (n: number): string => (Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100));

export interface TextOptions {
  /** Shown in the heading, e.g. the official's name. */
  name?: string;
  /** List each counted record (default true). */
  showRecords?: boolean;
}

export function formatEvaluationText(
  program: ProgramDefinition,
  r: EvaluationResult,
  opts: TextOptions = {},
): string {
  const lines: string[] = [];
  const who =
    r.personId === undefined
      ? (opts.name ?? 'Official')
      : opts.name
        ? `${opts.name} (${r.personId})`
        : r.personId;
  lines.push(`== ${who} ==`);
  lines.push(`Program: ${program.name}, version ${r.programVersion}; as of ${r.asOf} (${program.timeZone})`);
  lines.push(`Status:  ${statusLabel(r.status)}${r.provisional ? ' (provisional)' : ''}`);
  lines.push(`         ${r.headline}`);
  if (r.missing.length > 0) {
    lines.push('', 'What is still missing:');
    for (const m of r.missing) lines.push(`  - ${m}`);
  }
  const active = r.deadlines.filter((d) => d.state !== 'not_applicable');
  if (active.length > 0) {
    lines.push('', 'Deadlines:');
    for (const d of active)
      lines.push(`  - ${d.label}${d.date ? ` (${d.date})` : ''}: ${d.state}. ${d.detail}`);
  }
  if (r.nextAward) {
    lines.push(
      '',
      `Next award: ${r.nextAward.ceremony ?? 'award'} ${r.nextAward.year}${r.nextAward.applyBy ? `; apply by ${r.nextAward.applyBy}` : ''}.`,
    );
  }
  const lc = r.lifecycle;
  if (lc) {
    lines.push(
      '',
      `Award: ${lc.award.number ? `No. ${lc.award.number}, ` : ''}granted ${lc.award.awardedOn}`,
    );
    for (const c of lc.cycles) {
      const state =
        c.state === 'renewed' || c.state === 'reinstated' ? `${c.state} on ${c.completedOn ?? ''}` : c.state;
      lines.push(
        `  Renewal cycle ${c.index}: ${c.start} to ${c.due} (grace until ${c.graceEnds}${c.reinstateBy ? `, reinstatement until ${c.reinstateBy}` : ''}) - ${state}${c.stored ? ' (stored)' : c.closed ? ' (closed)' : ''}`,
      );
      if (c.lateCorrection) lines.push(`    Late correction: ${c.lateCorrection.detail}`);
    }
    if (lc.nextReminder) lines.push(`  Next reminder: ${lc.nextReminder}`);
    const current = lc.current?.requirement;
    if (current && lc.status !== 'revoked' && lc.status !== 'expired') {
      lines.push('', `Current renewal cycle (${lc.current?.start} to ${lc.current?.due}):`);
      renderNode(current, 1, lines, opts.showRecords ?? true);
    }
  }
  // Once awarded, the award is the record of initial certification (the tree stays in the JSON result).
  if (!lc) {
    lines.push('', 'Requirements:');
    renderNode(r.initial, 1, lines, opts.showRecords ?? true);
  }
  if (r.notCounted.length > 0) {
    lines.push('', 'Records that count toward nothing:');
    for (const n of r.notCounted) lines.push(`  x ${n.recordId} ${n.date} ${num(n.amount)}: ${n.detail}`);
  }
  return lines.join('\n');
}

function renderNode(node: NodeResult, depth: number, lines: string[], showRecords: boolean): void {
  const pad = '  '.repeat(depth);
  const mark = !node.applicable ? '[-]' : node.met ? '[x]' : '[ ]';
  let figures = '';
  if (!node.applicable) figures = 'does not apply';
  else if (node.type === 'allOf' || node.type === 'anyOf' || node.type === 'nOf' || node.type === 'deadline')
    figures = `${node.have} of ${node.need} ${node.need === 1 ? 'requirement' : 'requirements'} met`;
  else figures = `${num(node.have)} of ${num(node.need)} ${node.unit}`;
  const met = node.metOn ? `, met ${node.metOn}` : '';
  const window =
    node.window?.from !== undefined && (node.type === 'credits' || node.type === 'courses')
      ? `, counting ${node.window.from} to ${node.window.to ?? '...'}`
      : node.type === 'deadline' && node.deadline
        ? node.deadline.date === undefined
          ? `, deadline not known yet: ${node.deadline.detail}`
          : `, deadline ${node.deadline.date}${node.deadline.extension ? ` (extended${node.deadline.programDate ? ` from ${node.deadline.programDate}` : ''}: ${node.deadline.extension.reason})` : ''}`
        : '';
  lines.push(`${pad}${mark} ${node.title}: ${figures}${met}${window}`);
  const inner = `${pad}    `;
  if (node.waiver)
    lines.push(
      `${inner}${node.waiver.kind === 'provisional' ? 'Provisionally approved' : 'Waived'} by ${node.waiver.grantedBy} on ${node.waiver.grantedOn}: ${node.waiver.reason}`,
    );
  for (const p of node.parts)
    lines.push(
      `${inner}${p.kind === 'minimum' ? `${p.label}: ${num(p.have)} of at least ${num(p.limit)}${p.per === 'year' ? ' per year' : ''}` : `${p.label}: ${num(p.have)} counted, at most ${num(p.limit)}${p.per === 'activity' ? ' per activity' : p.per === 'year' ? ' per year' : ''}`}${p.met ? '' : ' (short)'}${
        p.years
          ? `; ${p.years.map((y) => `year ${y.year} (${y.from} to ${y.to}) ${num(y.have)}${y.met ? '' : ' (short)'}`).join(', ')}`
          : ''
      }`,
    );
  if (node.note) lines.push(`${inner}${node.note}`);
  if (node.missing && node.applicable) lines.push(`${inner}Missing: ${node.missing}`);
  if (showRecords) {
    for (const c of node.counted)
      lines.push(
        `${inner}+ ${c.recordId} ${c.date} ${num(c.amount)}${c.courseCode ? ` [${c.courseCode}]` : ''}${c.note ? ` ${c.note}` : ''}`,
      );
    for (const n of node.notCounted)
      lines.push(`${inner}- ${n.recordId} ${n.date} ${num(n.amount)}: ${n.detail}`);
  }
  for (const child of node.children) renderNode(child, depth + 1, lines, showRecords);
}
