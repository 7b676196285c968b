/**
 * Plain-language lines for the counting rules of a program that go beyond a total and its
 * minimums: per-record minimums, per-activity caps, repeats counted once, catalog-only or
 * outside-only filters. `civiccert program check` prints them so an author can read back what the
 * file says.
 */
import { fmtAmount, unitWord } from './explain.js';
import { toHundredths } from './compile.js';
import type { ProgramDefinition, RecordFilter, Requirement } from './types.js';

function filterWords(f: RecordFilter | undefined, p: ProgramDefinition): string {
  const head =
    f?.catalog === true
      ? 'catalog courses'
      : f?.catalog === false
        ? 'records that are not catalog courses'
        : 'records';
  const bits: string[] = [];
  if (f?.sourceTypes)
    bits.push(
      `of source ${f.sourceTypes.map((s) => p.sourceTypes.find((t) => t.id === s)?.name ?? s).join(' or ')}`,
    );
  if (f?.categories)
    bits.push(`in ${f.categories.map((c) => p.categories.find((x) => x.id === c)?.name ?? c).join(' or ')}`);
  if (f?.courses) bits.push(`of courses ${f.courses.join(', ')}`);
  if (f?.sponsored !== undefined) bits.push(f.sponsored ? 'sponsored' : 'not sponsored');
  if (bits.length === 0 && head === 'records') return 'every record';
  return [head, ...bits].join(' ');
}

/** One line per special counting rule, in document order ("initial", then renewal, reinstatement). */
export function describeCountingRules(p: ProgramDefinition): string[] {
  const lines: string[] = [];
  const amount = (n: number): string => `${fmtAmount(toHundredths(n))} ${unitWord(toHundredths(n), p.unit)}`;
  const visit = (node: Requirement): void => {
    switch (node.type) {
      case 'credits': {
        const rules: string[] = [];
        if (node.filter?.catalog !== undefined) rules.push(`counts only ${filterWords(node.filter, p)}`);
        if (node.recordMin)
          rules.push(
            `${node.recordMin.label ?? 'a record'} (${filterWords(node.recordMin.filter, p)}) counts only with at least ${amount(node.recordMin.min)}`,
          );
        for (const c of node.caps ?? [])
          if (c.per === 'activity')
            rules.push(`each activity (${filterWords(c.filter, p)}) counts for at most ${amount(c.max)}`);
          else if (c.per === 'year')
            rules.push(
              `${filterWords(c.filter, p)} count for at most ${amount(c.max)} in any one year of the period`,
            );
        for (const m of node.minimums ?? [])
          if (m.per === 'year')
            rules.push(`at least ${amount(m.min)} of ${filterWords(m.filter, p)} in each year of the period`);
        if (node.repeatedCourses === 'once') rules.push('a course repeated within the period counts once');
        if (node.confirmedSeats === 'provisional')
          rules.push('a confirmed seat in an upcoming session counts toward a provisional status');
        if (rules.length > 0) lines.push(`${node.title}: ${rules.join('; ')}.`);
        return;
      }
      case 'courses':
        if (node.confirmedSeats === 'provisional')
          lines.push(
            `${node.title}: a confirmed seat in an upcoming session counts toward a provisional status.`,
          );
        return;
      case 'allOf':
      case 'anyOf':
      case 'nOf':
        node.items.forEach(visit);
        return;
      case 'deadline':
        visit(node.item);
        return;
      default:
        return;
    }
  };
  visit(p.initial.requirement);
  if (p.renewal) visit(p.renewal.requirement);
  if (p.renewal?.reinstatement?.requirement) visit(p.renewal.reinstatement.requirement);
  if (p.renewal?.firstCycle?.requirement) visit(p.renewal.firstCycle.requirement);
  const r = p.renewal;
  const within = r?.reinstatement?.within;
  if (within) {
    const parts = (['years', 'months', 'days'] as const)
      .filter((k) => (within[k] ?? 0) > 0)
      .map((k) => `${within[k]} ${within[k] === 1 ? k.slice(0, -1) : k}`);
    lines.push(`Reinstatement: within ${parts.join(' and ')} after grace ends.`);
  }
  const fc = r?.firstCycle;
  if (fc) {
    const bits: string[] = [];
    if (fc.endsOn === 'firstAnchor') bits.push('ends on the first anchor date after the award');
    if (fc.requirement) bits.push(`has its own requirement (${fc.requirement.title})`);
    for (const pr of fc.prorate ?? [])
      bits.push(
        `${pr.requirement} needs ${amount(pr.perMonth)} for each ${pr.months === 'started' ? 'month begun' : 'whole month'} of it, rounded ${pr.rounding === 'up' ? 'up' : pr.rounding === 'down' ? 'down' : 'to the nearest whole'}`,
      );
    lines.push(`First renewal cycle: ${bits.join('; ')}.`);
  }
  return lines;
}
