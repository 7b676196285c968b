import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button, Fieldset, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { ProgramDetail } from '../../../contract/programs';
import { api, ApiError } from '../../api';
import { SelectField, TextField } from '../../components/Form';
import { usTimeZones } from '../sessions/shared';
import { clone, fieldId, getAt, setAt, type Json, type JsonObject } from './definitionPaths';
import './programs.css';

/**
 * The form editor for the common rules of a program definition. Each field is
 * bound to one path in the definition; saving writes only the fields that
 * changed into a copy of the loaded definition and sends the whole document
 * through the same validated draft API as the JSON view. Everything the form
 * does not show (filters, windows, cohorts, courses, assumptions …) is kept as
 * it was. The server's problems (`definition.<path>`) appear next to the field
 * with that path, and all of them in the summary, which takes focus.
 */

type Kind = 'text' | 'number' | 'date' | 'numbers' | 'codes' | 'select';

interface Spec {
  path: string;
  label: string;
  kind: Kind;
  /** An empty optional field removes the key; an empty required one is sent empty (and refused by the server). */
  optional?: boolean;
  hint?: string;
  options?: { value: string; label: string }[];
  /** Which requirement the field belongs to, for the error summary ("Management tier: Minimum credits"). */
  context?: string;
}

interface Section {
  key: string;
  legend: string;
  depth: number;
  hint?: string;
  fields: Spec[];
}

type Node = JsonObject & { id?: string; type?: string; title?: string };

const numberText = (v: Json | undefined) =>
  typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
const listText = (v: Json | undefined) => (Array.isArray(v) ? v.map((x) => String(x)).join(', ') : '');

function toText(value: Json | undefined, kind: Kind): string {
  if (kind === 'numbers' || kind === 'codes') return listText(value);
  if (kind === 'number') return numberText(value);
  return typeof value === 'string' ? value : value == null ? '' : String(value);
}

/** Form text back to JSON. Text that is not a number is sent as it is, so the server names the field. */
function fromText(text: string, spec: Spec): Json | undefined {
  const t = text.trim();
  if (t === '' && spec.optional) return undefined;
  const num = (s: string): Json => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);
  switch (spec.kind) {
    case 'number':
      return num(t);
    case 'numbers':
      return t
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map(num);
    case 'codes':
      return t.split(/[\s,;]+/).filter(Boolean);
    default:
      return t;
  }
}

const groupHints: Record<string, (n: Node) => string> = {
  allOf: () => 'Every requirement below is needed.',
  anyOf: () => 'Any one of the requirements below is enough.',
  nOf: (n) =>
    n.n === 1
      ? 'One of the requirements below is needed.'
      : `${typeof n.n === 'number' ? n.n : 'Some'} of the requirements below are needed.`,
  deadline: () => 'The requirement below must be met by a date.',
};

/** The sections and fields for one requirement tree. */
function requirementSections(
  node: Node,
  path: string,
  depth: number,
  unit: string,
  courseSets: { value: string; label: string }[],
  out: Section[],
): void {
  const title = typeof node.title === 'string' && node.title ? node.title : (node.id ?? 'Requirement');
  const fields: Spec[] = [{ path: `${path}.title`, label: 'Title', kind: 'text' }];
  switch (node.type) {
    case 'credits': {
      fields.push({ path: `${path}.min`, label: `Minimum ${unit}`, kind: 'number' });
      const minimums = Array.isArray(node.minimums) ? (node.minimums as Node[]) : [];
      minimums.forEach((m, i) =>
        fields.push({
          path: `${path}.minimums[${i}].min`,
          label: `Of which at least${m.per === 'year' ? ' in each year' : ''} (${String(m.label ?? m.id)})`,
          kind: 'number',
          hint:
            m.per === 'year'
              ? `Each year of the period (counted from its start) must have at least this many ${unit}.`
              : `${unit.charAt(0).toUpperCase()}${unit.slice(1)} that must be ${String(m.label ?? m.id)}, counted within the minimum above.`,
        }),
      );
      const caps = Array.isArray(node.caps) ? (node.caps as Node[]) : [];
      caps.forEach((c, i) =>
        fields.push({
          path: `${path}.caps[${i}].max`,
          label: `At most${c.per === 'activity' ? ' per activity' : c.per === 'year' ? ' in any one year' : ''} (${String(c.label ?? c.id)})`,
          kind: 'number',
          ...(c.per === 'activity'
            ? {
                hint: `Each activity (one course, or one event on one date) counts for at most this many ${unit}.`,
              }
            : c.per === 'year'
              ? {
                  hint: `Each year of the period (counted from its start) counts at most this many ${unit}.`,
                }
              : {}),
        }),
      );
      if (node.recordMin && typeof node.recordMin === 'object') {
        const rm = node.recordMin as Node;
        fields.push({
          path: `${path}.recordMin.min`,
          label: `Each record at least (${String(rm.label ?? 'a record')})`,
          kind: 'number',
          hint: `A record with fewer ${unit} does not count here; it is listed with the reason.`,
        });
      }
      break;
    }
    case 'courses':
      if (Array.isArray(node.courses))
        fields.push({
          path: `${path}.courses`,
          label: 'Required course codes',
          kind: 'codes',
          hint: 'Separate codes with commas, like KS-Y1-01, KS-Y1-02.',
        });
      if (typeof node.courseSet === 'string')
        fields.push({ path: `${path}.courseSet`, label: 'Course set', kind: 'select', options: courseSets });
      fields.push({
        path: `${path}.count`,
        label: 'Courses needed',
        kind: 'number',
        optional: true,
        hint: 'Leave empty to need every course listed.',
      });
      break;
    case 'nOf':
      fields.push({ path: `${path}.n`, label: 'How many are needed', kind: 'number' });
      break;
    case 'exam':
      fields.push({ path: `${path}.minScore`, label: 'Passing score', kind: 'number' });
      break;
    case 'serviceYears':
      fields.push({ path: `${path}.minYears`, label: 'Years of service', kind: 'number' });
      break;
    case 'deadline':
      if (typeof node.by === 'string')
        fields.push({
          path: `${path}.by`,
          label: 'Met by (date)',
          kind: 'date',
          hint: 'A date like 2026-07-01.',
        });
      break;
  }
  for (const f of fields) f.context = title;
  out.push({ key: path, legend: title, depth, hint: groupHints[node.type ?? '']?.(node), fields });
  if (Array.isArray(node.items))
    (node.items as Node[]).forEach((child, i) =>
      requirementSections(child, `${path}.items[${i}]`, depth + 1, unit, courseSets, out),
    );
  if (node.item && typeof node.item === 'object' && !Array.isArray(node.item))
    requirementSections(node.item as Node, `${path}.item`, depth + 1, unit, courseSets, out);
}

interface Layout {
  general: Spec[];
  categories: Spec[];
  initial: Section[];
  deadlines: Spec[];
  renewal: Spec[] | null;
  renewalRequirement: Section[];
  award: Spec[];
}

function layoutOf(def: JsonObject): Layout {
  const unit = numberText(getAt(def, 'unit.plural')) || 'credits';
  const zones = usTimeZones.map((z) => ({ value: z.id, label: z.label }));
  const zone = getAt(def, 'timeZone');
  if (typeof zone === 'string' && !zones.some((z) => z.value === zone))
    zones.push({ value: zone, label: zone });
  const courseSets = ((getAt(def, 'courseSets') as Node[] | undefined) ?? []).map((s) => ({
    value: String(s.id),
    label: `${String(s.name ?? s.id)} (${String(s.id)})`,
  }));

  const general: Spec[] = [
    { path: 'name', label: 'Program name', kind: 'text' },
    { path: 'designation', label: 'Designation awarded', kind: 'text' },
    { path: 'issuingBody.name', label: 'Issuing body', kind: 'text' },
    {
      path: 'timeZone',
      label: 'Time zone',
      kind: 'select',
      options: zones,
      hint: 'Every date and deadline is read in it.',
    },
    {
      path: 'version',
      label: 'Version',
      kind: 'text',
      hint: 'A published version never changes: give the draft a new version, like 2026.2.',
    },
    {
      path: 'effectiveFrom',
      label: 'In force from',
      kind: 'date',
      hint: 'A date like 2026-07-01. Officials enrolling on or after it are judged by this version.',
    },
  ];

  const categories = ((getAt(def, 'categories') as Node[] | undefined) ?? []).flatMap((c, i) => [
    { path: `categories[${i}].name`, label: `Name of category ${String(c.id)}`, kind: 'text' as const },
    {
      path: `categories[${i}].description`,
      label: `Description of category ${String(c.id)}`,
      kind: 'text' as const,
      optional: true,
    },
  ]);

  const initial: Section[] = [];
  const root = getAt(def, 'initial.requirement');
  if (root && typeof root === 'object' && !Array.isArray(root))
    requirementSections(root as Node, 'initial.requirement', 0, unit, courseSets, initial);

  const deadlines = ((getAt(def, 'initial.deadlines') as Node[] | undefined) ?? []).flatMap((d, i) =>
    typeof d.by === 'string'
      ? [
          {
            path: `initial.deadlines[${i}].by`,
            label: `${String(d.label ?? d.id)}: date`,
            kind: 'date' as const,
            hint: 'A date like 2026-07-01.',
          },
        ]
      : [],
  );

  const renewalDef = getAt(def, 'renewal');
  let renewal: Spec[] | null = null;
  const renewalRequirement: Section[] = [];
  if (renewalDef && typeof renewalDef === 'object' && !Array.isArray(renewalDef)) {
    renewal = [
      { path: 'renewal.cycleYears', label: 'Cycle length in years', kind: 'number' },
      { path: 'renewal.graceDays', label: 'Grace days after the due date', kind: 'number' },
      {
        path: 'renewal.remindDaysBefore',
        label: 'Reminders, in days before the due date',
        kind: 'numbers',
        hint: 'Separate numbers with commas, like 90, 30, 7.',
      },
    ];
    // The reinstatement window in the unit the program uses: days, or months and years.
    if (getAt(def, 'renewal.reinstatement.within') !== undefined)
      renewal.push(
        {
          path: 'renewal.reinstatement.within.years',
          label: 'Reinstatement possible within: years after lapse',
          kind: 'number',
          optional: true,
        },
        {
          path: 'renewal.reinstatement.within.months',
          label: 'Reinstatement possible within: months after lapse',
          kind: 'number',
          optional: true,
          hint: 'Added to the years; leave either empty.',
        },
      );
    else if (getAt(def, 'renewal.reinstatement') !== undefined)
      renewal.push({
        path: 'renewal.reinstatement.withinDays',
        label: 'Reinstatement possible within (days after lapse)',
        kind: 'number',
      });
    const prorate = getAt(def, 'renewal.firstCycle.prorate');
    if (Array.isArray(prorate))
      prorate.forEach((_, i) =>
        renewal?.push({
          path: `renewal.firstCycle.prorate[${i}].perMonth`,
          label: `First cycle: ${unit} for each month`,
          kind: 'number',
          hint: 'The first cycle needs this many for each month of it, rounded to a whole number.',
        }),
      );
    if (getAt(def, 'renewal.carryOver') !== undefined)
      renewal.push({
        path: 'renewal.carryOver.max',
        label: `Most ${unit} carried into the next cycle`,
        kind: 'number',
      });
    const req = getAt(def, 'renewal.requirement');
    if (req && typeof req === 'object' && !Array.isArray(req))
      requirementSections(req as Node, 'renewal.requirement', 0, unit, courseSets, renewalRequirement);
  }

  const award: Spec[] = [
    {
      path: 'award.ceremony',
      label: 'Awarded at',
      kind: 'text',
      optional: true,
      hint: 'For example, the annual conference.',
    },
    {
      path: 'award.applicationDeadline.month',
      label: 'Application deadline: month (1–12)',
      kind: 'number',
      optional: true,
      hint: 'Leave month and day empty for no deadline.',
    },
    {
      path: 'award.applicationDeadline.day',
      label: 'Application deadline: day (1–31)',
      kind: 'number',
      optional: true,
    },
  ];
  return { general, categories, initial, deadlines, renewal, renewalRequirement, award };
}

const allSpecs = (l: Layout): Spec[] => [
  ...l.general,
  ...l.categories,
  ...l.initial.flatMap((s) => s.fields),
  ...l.deadlines,
  ...(l.renewal ?? []),
  ...l.renewalRequirement.flatMap((s) => s.fields),
  ...l.award,
];

interface NewCategory {
  key: number;
  id: string;
  name: string;
  parent: string;
}

export function ProgramRulesForm({
  program,
  onSaved,
}: {
  program: ProgramDetail;
  onSaved: (next: ProgramDetail, message: string) => void;
}) {
  const base = useMemo(
    () => clone(((program.draftDefinition ?? program.definition ?? {}) as JsonObject) ?? {}),
    [program.draftDefinition, program.definition],
  );
  const layout = useMemo(() => layoutOf(base), [base]);
  const specs = useMemo(() => allSpecs(layout), [layout]);
  const initialValues = useMemo(
    () => Object.fromEntries(specs.map((s) => [s.path, toText(getAt(base, s.path), s.kind)])),
    [specs, base],
  );
  const [values, setValues] = useState<Record<string, string>>(initialValues);
  const [added, setAdded] = useState<NewCategory[]>([]);
  const [attempt, setAttempt] = useState(0);
  const summary = useRef<HTMLDivElement>(null);
  const existingCategories = ((getAt(base, 'categories') as Node[] | undefined) ?? []).map((c) =>
    String(c.id),
  );

  const save = useMutation({
    mutationFn: (definition: JsonObject) =>
      api.put<ProgramDetail>(`/api/programs/${program.id}/draft`, { definition }),
    onSuccess: (next) =>
      onSaved(next, `Draft ${next.draft?.version ?? ''} saved from the form. Publish it to put it in force.`),
    onError: () => setAttempt((n) => n + 1),
  });
  useEffect(() => {
    if (attempt > 0) summary.current?.focus();
  }, [attempt]);

  // Field labels for the summary: the form's own fields and the new categories.
  const labels = new Map(specs.map((s) => [s.path, s.context ? `${s.context}: ${s.label}` : s.label]));
  added.forEach((c, i) => {
    const at = existingCategories.length + i;
    labels.set(`categories[${at}].id`, `New category ${i + 1}: id`);
    labels.set(`categories[${at}].name`, `New category ${i + 1}: name`);
    labels.set(`categories[${at}].parent`, `New category ${i + 1}: part of`);
  });
  const problems =
    save.error instanceof ApiError
      ? (save.error.problem?.errors ?? []).map((e) => ({
          path: e.field.replace(/^(body\.)?definition\.?/, ''),
          message: e.message,
        }))
      : [];
  const fieldErrors: Record<string, string> = {};
  for (const p of problems)
    if (labels.has(p.path) && !(p.path in fieldErrors)) fieldErrors[p.path] = p.message;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const next = clone(base);
    for (const s of specs) {
      const text = values[s.path] ?? '';
      if (text !== initialValues[s.path]) setAt(next, s.path, fromText(text, s));
    }
    const deadline = getAt(next, 'award.applicationDeadline');
    if (deadline && typeof deadline === 'object' && Object.keys(deadline).length === 0)
      setAt(next, 'award.applicationDeadline', undefined);
    if (added.length) {
      const list = (getAt(next, 'categories') as Json[] | undefined) ?? [];
      setAt(next, 'categories', [
        ...list,
        ...added.map((c) => ({
          id: c.id.trim(),
          name: c.name.trim(),
          ...(c.parent ? { parent: c.parent } : {}),
        })),
      ]);
    }
    save.mutate(next);
  };

  const field = (s: Spec): ReactNode => {
    const id = fieldId(s.path);
    const common = {
      id,
      label: s.label,
      hint: s.hint,
      value: values[s.path] ?? '',
      onChange: (v: string) => setValues((prev) => ({ ...prev, [s.path]: v })),
      error: fieldErrors[s.path],
    };
    if (s.kind === 'select')
      return (
        <SelectField key={s.path} {...common}>
          {(s.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
      );
    return (
      <TextField
        key={s.path}
        {...common}
        inputMode={s.kind === 'number' ? 'numeric' : 'text'}
        className={
          s.kind === 'number' ? 'usa-input--small' : s.kind === 'date' ? 'usa-input--medium' : undefined
        }
      />
    );
  };
  const sections = (list: Section[]) =>
    list.map((sec) => (
      <Fieldset
        key={sec.key}
        legend={sec.legend}
        className={`rules-node margin-top-3 rules-depth-${Math.min(sec.depth, 3)}`}
      >
        {sec.hint && <p className="usa-hint margin-y-05">{sec.hint}</p>}
        {sec.fields.map(field)}
      </Fieldset>
    ));

  const newCategoryField = (c: NewCategory, i: number, key: 'id' | 'name') => {
    const path = `categories[${existingCategories.length + i}].${key}`;
    return (
      <TextField
        id={fieldId(path)}
        label={key === 'id' ? `New category ${i + 1}: id` : `New category ${i + 1}: name`}
        hint={key === 'id' ? 'Lower-case letters, digits and dashes, like ethics.' : undefined}
        value={c[key]}
        onChange={(v) => setAdded((prev) => prev.map((x) => (x.key === c.key ? { ...x, [key]: v } : x)))}
        error={fieldErrors[path]}
      />
    );
  };

  return (
    <section aria-labelledby="rules-form-heading">
      <h2 id="rules-form-heading">Edit the rules (form)</h2>
      <p>
        The common rules as a form. Saving makes a draft through the same checks as the JSON view; rules the
        form does not show (record filters, windows, cohorts, the course list, assumptions) are kept exactly
        as they are and can be changed in the JSON view below.
      </p>
      <div ref={summary} tabIndex={-1} className="error-summary">
        {save.error && (
          <Alert type="error" headingLevel="h3" heading="The draft was not saved">
            <p className="margin-top-05">
              {problems.length
                ? `The definition has ${problems.length === 1 ? 'one problem' : `${problems.length} problems`}. Fix ${problems.length === 1 ? 'it' : 'them'} and save again.`
                : save.error instanceof ApiError
                  ? save.error.message
                  : 'Something went wrong. Try again in a moment.'}
            </p>
            {problems.length > 0 && (
              <ul>
                {problems.map((p, i) =>
                  labels.has(p.path) ? (
                    <li key={i}>
                      <a
                        href={`#${fieldId(p.path)}`}
                        onClick={(e) => {
                          e.preventDefault();
                          document.getElementById(fieldId(p.path))?.focus();
                        }}
                      >
                        {labels.get(p.path)}: {p.message}
                      </a>
                    </li>
                  ) : (
                    <li key={i}>
                      <code>{p.path || 'definition'}</code> (change it in the JSON view): {p.message}
                    </li>
                  ),
                )}
              </ul>
            )}
          </Alert>
        )}
      </div>
      <Form onSubmit={submit} noValidate large className="maxw-full rules-form">
        <Fieldset legend="Program" legendStyle="large">
          {layout.general.map(field)}
        </Fieldset>

        <Fieldset legend="Credit categories" legendStyle="large" className="margin-top-4">
          <p className="usa-hint">
            A category’s id is used by the rules and the catalog; change ids in the JSON view.
          </p>
          {layout.categories.map(field)}
          {added.map((c, i) => (
            <div key={c.key} className="new-category margin-top-2">
              {newCategoryField(c, i, 'id')}
              {newCategoryField(c, i, 'name')}
              <SelectField
                id={fieldId(`categories[${existingCategories.length + i}].parent`)}
                label={`New category ${i + 1}: part of`}
                value={c.parent}
                onChange={(v) =>
                  setAdded((prev) => prev.map((x) => (x.key === c.key ? { ...x, parent: v } : x)))
                }
                error={fieldErrors[`categories[${existingCategories.length + i}].parent`]}
              >
                <option value="">No parent (a main category)</option>
                {existingCategories.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </SelectField>
              <Button
                type="button"
                unstyled
                className="margin-top-1"
                onClick={() => setAdded((prev) => prev.filter((x) => x.key !== c.key))}
              >
                Remove new category {i + 1}
              </Button>
            </div>
          ))}
          <Button
            type="button"
            outline
            className="margin-top-2"
            onClick={() => setAdded((prev) => [...prev, { key: Date.now(), id: '', name: '', parent: '' }])}
          >
            Add a category
          </Button>
        </Fieldset>

        <h3 className="margin-top-4">Initial certification</h3>
        {layout.initial.length ? (
          sections(layout.initial)
        ) : (
          <p>The definition has no initial requirement yet.</p>
        )}
        {layout.deadlines.length > 0 && (
          <Fieldset legend="Target dates" className="margin-top-3">
            {layout.deadlines.map(field)}
          </Fieldset>
        )}

        <h3 className="margin-top-4">Renewal</h3>
        {layout.renewal ? (
          <>
            <Fieldset legend="Renewal cycle">{layout.renewal.map(field)}</Fieldset>
            <p className="margin-top-3 margin-bottom-0">What each cycle needs:</p>
            {sections(layout.renewalRequirement)}
          </>
        ) : (
          <p>This program has no renewal. Add one in the JSON view.</p>
        )}

        <Fieldset legend="Award" legendStyle="large" className="margin-top-4">
          {layout.award.map(field)}
        </Fieldset>

        <Button type="submit" className="margin-top-3" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save draft from the form'}
        </Button>
      </Form>
    </section>
  );
}
