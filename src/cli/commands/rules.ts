import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import {
  describeCountingRules,
  evaluate,
  formatEvaluationText,
  parseProgram,
  parsePeopleJson,
  parseRecordsCsv,
  parseRecordsJson,
  type CreditRecord,
  type EvaluationResult,
  type PersonContext,
  type ProgramDefinition,
} from '../../domain/requirements/index.js';
import { isDateOrInstant, isLocalDate, toLocalDate } from '../../domain/time/index.js';

/** What a command printed and its exit code; the actions write these out, tests read them. */
export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

type Loaded<T> = { ok: true; value: T } | { ok: false; message: string };

function readText(file: string, what: string): Loaded<string> {
  try {
    return { ok: true, value: readFileSync(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'cannot be read');
    return { ok: false, message: `Cannot read the ${what} "${file}": ${why}.` };
  }
}

/** Finds where JSON text stops being valid (Node 20's messages do not always say). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i += 1;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = (): void => {
    i += 1;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i += 1;
      else if ((text.charCodeAt(i) ?? 0) < 0x20) fail();
      i += 1;
    }
    if (text[i] !== '"') fail();
    i += 1;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i += 1;
      ws();
      if (text[i] === close) {
        i += 1;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i += 1;
        }
        value();
        ws();
        if (text[i] === ',') {
          i += 1;
          continue;
        }
        if (text[i] === close) {
          i += 1;
          return;
        }
        fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) fail();
      i += m?.[0].length ?? 0;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (at) {
    return typeof at === 'number' ? at : i;
  }
  return i;
}

/** JSON.parse with the line and column of a syntax error. */
function parseJson(text: string, file: string): Loaded<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const near = text.slice(offset, offset + 20).split('\n')[0] ?? '';
    return {
      ok: false,
      message: `${file} is not valid JSON at line ${line}, column ${column}${near ? ` (near "${near}")` : ' (unexpected end of file)'}.`,
    };
  }
}

function loadProgram(file: string): Loaded<ProgramDefinition> {
  const text = readText(file, 'program file');
  if (!text.ok) return text;
  const json = parseJson(text.value, file);
  if (!json.ok) return json;
  const parsed = parseProgram(json.value);
  if (parsed.ok) return { ok: true, value: parsed.program };
  const n = parsed.issues.length;
  return {
    ok: false,
    message: [
      `${file}: ${n} ${n === 1 ? 'problem' : 'problems'} in the program definition:`,
      ...parsed.issues.map((i) => `  ${i.path}: ${i.message}`),
    ].join('\n'),
  };
}

function countNodes(program: ProgramDefinition): number {
  let n = 0;
  const visit = (node: { type: string; items?: unknown[]; item?: unknown }): void => {
    n += 1;
    if (Array.isArray(node.items)) for (const c of node.items) visit(c as typeof node);
    if (node.item) visit(node.item as typeof node);
  };
  visit(program.initial.requirement);
  if (program.renewal) visit(program.renewal.requirement);
  return n;
}

/** `civiccert program check FILE` */
export function runProgramCheck(file: string): CommandOutput {
  const loaded = loadProgram(file);
  if (!loaded.ok) return { code: 1, stdout: '', stderr: `${loaded.message}\n` };
  const p = loaded.value;
  const lines = [
    `${file}: valid.`,
    `  ${p.name} (${p.designation}), version ${p.version}, effective ${p.effectiveFrom}`,
    `  Issued by ${p.issuingBody.name}; time zone ${p.timeZone}`,
    `  ${p.categories.length} categories, ${p.sourceTypes.length} source types, ${p.courses.length} courses, ${p.courseSets.length} course sets, ${countNodes(p)} requirement nodes`,
    p.renewal
      ? `  Renewal every ${p.renewal.cycleYears} ${p.renewal.cycleYears === 1 ? 'year' : 'years'} (${p.renewal.expiryBasis}), ${p.renewal.graceDays} days' grace; records dated on the award day count toward ${p.renewal.awardDayRecords === 'firstCycle' ? 'the first renewal cycle' : 'the award'}`
      : '  No renewal',
  ];
  const rules = describeCountingRules(p);
  if (rules.length > 0) lines.push('  Counting rules:', ...rules.map((r) => `    - ${r}`));
  if (p.assumptions.length > 0) lines.push('  Assumptions:', ...p.assumptions.map((a) => `    - ${a}`));
  return { code: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
}

export interface EvaluateOptions {
  program: string;
  records: string;
  asOf: string;
  person?: string;
  people?: string;
  format?: string;
}

/** `civiccert evaluate --program FILE --records FILE --as-of DATE|INSTANT [--person ID] [--people FILE] [--format text|json]` */
export function runEvaluate(opts: EvaluateOptions): CommandOutput {
  const fail = (message: string): CommandOutput => ({ code: 1, stdout: '', stderr: `${message}\n` });
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'json') return fail(`--format must be text or json, not "${format}".`);
  if (!isDateOrInstant(opts.asOf))
    return fail(
      `--as-of must be a date (2027-01-01) or an instant (2027-01-01T05:30:00Z), not "${opts.asOf}".`,
    );
  const program = loadProgram(opts.program);
  if (!program.ok) return fail(program.message);

  const text = readText(opts.records, 'records file');
  if (!text.ok) return fail(text.message);
  const ext = path.extname(opts.records).toLowerCase();
  let parsed;
  if (ext === '.csv') parsed = parseRecordsCsv(text.value);
  else if (ext === '.json') {
    const json = parseJson(text.value, opts.records);
    if (!json.ok) return fail(json.message);
    parsed = parseRecordsJson(json.value);
  } else return fail(`The records file must end in .csv or .json: "${opts.records}".`);
  if (!parsed.ok)
    return fail(
      [
        `${opts.records}: ${parsed.issues.length} ${parsed.issues.length === 1 ? 'problem' : 'problems'}; nothing was evaluated:`,
        ...parsed.issues.map((i) => `  ${i.where}: ${i.message}`),
      ].join('\n'),
    );
  let people: PersonContext[] = parsed.people;
  if (opts.people) {
    const pt = readText(opts.people, 'people file');
    if (!pt.ok) return fail(pt.message);
    const pj = parseJson(pt.value, opts.people);
    if (!pj.ok) return fail(pj.message);
    const pp = parsePeopleJson(pj.value);
    if (!pp.ok)
      return fail([`${opts.people}:`, ...pp.issues.map((i) => `  ${i.where}: ${i.message}`)].join('\n'));
    people = [...people, ...pp.people];
  }

  const contexts = new Map<string, PersonContext>();
  for (const p of people) contexts.set(p.personId, p);
  const byPerson = new Map<string, CreditRecord[]>();
  for (const r of parsed.records) {
    const list = byPerson.get(r.personId);
    if (list) list.push(r);
    else byPerson.set(r.personId, [r]);
  }
  let ids = [...new Set([...byPerson.keys(), ...contexts.keys()])].sort();
  if (opts.person !== undefined) {
    if (!ids.includes(opts.person))
      return fail(`No records or details for person "${opts.person}" in ${opts.records}.`);
    ids = [opts.person];
  }

  // An instant is evaluated as the date it falls on in the program's time zone.
  const asOfDate = toLocalDate(opts.asOf, program.value.timeZone) ?? opts.asOf;
  const asOfText = isLocalDate(opts.asOf)
    ? opts.asOf
    : `${opts.asOf} (${asOfDate} in ${program.value.timeZone})`;
  const results: { name?: string; result: EvaluationResult }[] = [];
  for (const id of ids) {
    const ctx = contexts.get(id);
    const { name, ...rest } = ctx ?? { personId: id };
    const result = evaluate(program.value, byPerson.get(id) ?? [], {
      ...rest,
      personId: id,
      asOf: opts.asOf,
    });
    results.push(name === undefined ? { result } : { name, result });
  }

  if (format === 'json') {
    const out = {
      program: { id: program.value.id, version: program.value.version, name: program.value.name },
      asOf: opts.asOf,
      asOfDate,
      results: results.map((r) => (r.name === undefined ? r.result : { name: r.name, ...r.result })),
    };
    return { code: 0, stdout: `${JSON.stringify(out, null, 2)}\n`, stderr: '' };
  }
  const blocks = results.map((r) =>
    formatEvaluationText(program.value, r.result, r.name === undefined ? {} : { name: r.name }),
  );
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.result.status, (counts.get(r.result.status) ?? 0) + 1);
  const summary = `${results.length} ${results.length === 1 ? 'person' : 'people'} evaluated as of ${asOfText}: ${[
    ...counts,
  ]
    .map(([s, n]) => `${n} ${s.replace('_', ' ')}`)
    .join(', ')}.`;
  return { code: 0, stdout: `${blocks.join('\n\n')}\n\n${summary}\n`, stderr: '' };
}

function emit(out: CommandOutput): void {
  if (out.stdout) process.stdout.write(out.stdout);
  if (out.stderr) process.stderr.write(out.stderr);
  process.exitCode = out.code;
}

function guarded(fn: () => CommandOutput): void {
  let out: CommandOutput;
  try {
    out = fn();
  } catch (err) {
    // Never a stack trace: say what went wrong in one line.
    out = { code: 1, stdout: '', stderr: `Error: ${err instanceof Error ? err.message : String(err)}\n` };
  }
  emit(out);
  // The message is already printed; a CommanderError carries the exit code to the CLI entry,
  // which exits with it (and prints nothing more).
  if (out.code !== 0) throw new CommanderError(out.code, 'civiccert.invalid-input', '');
}

/** `program check` and `evaluate`: the rules engine without a server (issue 3). */
export function registerRulesCommands(cli: Command): void {
  const program =
    cli.commands.find((c) => c.name() === 'program') ??
    cli.command('program').description('Work with program definitions');
  program
    .command('check')
    .description('Validate a program definition file and explain every problem')
    .argument('<file>', 'program definition (JSON)')
    .action((file: string) => guarded(() => runProgramCheck(file)));

  cli
    .command('evaluate')
    .description("Evaluate officials' records against a program, with explanations")
    .requiredOption('--program <file>', 'program definition (JSON)')
    .requiredOption('--records <file>', 'credit records (.csv or .json)')
    .requiredOption(
      '--as-of <date>',
      'evaluate as of this date (YYYY-MM-DD, program-local) or instant (2027-01-01T05:30:00Z; its date in the program time zone)',
    )
    .option('--person <id>', 'only this person')
    .option(
      '--people <file>',
      "JSON with each person's enrollment, appointment, awards, exams, waivers, attestations",
    )
    .option('--format <format>', 'text or json', 'text')
    .action(
      (opts: {
        program: string;
        records: string;
        asOf: string;
        person?: string;
        people?: string;
        format: string;
      }) => guarded(() => runEvaluate(opts)),
    );
}
