/**
 * "Add a course" and "Edit course": every field of the course contract, with
 * credit values offered per category of the chosen program and the
 * requirements listed from the program's definition.
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, ErrorMessage, Fieldset, Form } from '@trussworks/react-uswds';
import { courseFormats, type Course } from '../../../contract/catalog';
import type { ProgramDetail } from '../../../contract/programs';
import { api, ApiError, qs } from '../../api';
import {
  ErrorSummary,
  RequiredNote,
  SelectField,
  TextareaField,
  TextField,
  type FieldErrors,
} from '../../components/Form';
import { Loading, Page } from '../../components/Page';
import { PageError } from '../../components/PageError';
import { formatLabels, usePrograms } from '../sessions/shared';

interface Values {
  programId: string;
  code: string;
  title: string;
  description: string;
  topics: string;
  /** Credit amount typed per category id ('' = none). */
  credits: Record<string, string>;
  sponsored: boolean;
  format: Course['format'] | '';
  durationMinutes: string;
  requirementIds: string[];
  renewal: boolean;
  prerequisites: string;
  completionMinPercent: string;
  sourceType: string;
}

const blank: Values = {
  programId: '',
  code: '',
  title: '',
  description: '',
  topics: '',
  credits: {},
  sponsored: false,
  format: '',
  durationMinutes: '',
  requirementIds: [],
  renewal: false,
  prerequisites: '',
  completionMinPercent: '90',
  sourceType: '',
};

function valuesOf(c: Course): Values {
  return {
    programId: c.programId ?? '',
    code: c.code,
    title: c.title,
    description: c.description,
    topics: c.topics.join('\n'),
    credits: Object.fromEntries(c.credits.map((x) => [x.category, String(x.amount)])),
    sponsored: c.sponsored,
    format: c.format,
    durationMinutes: String(c.durationMinutes),
    requirementIds: c.requirementIds,
    renewal: c.renewal,
    prerequisites: c.prerequisites.join(', '),
    completionMinPercent: String(c.completionMinPercent),
    sourceType: c.sourceType ?? '',
  };
}

interface Named {
  id: string;
  name: string;
  depth: number;
}

/** Categories, source types and requirement nodes of a program's published definition. */
function programParts(def: Record<string, unknown> | null | undefined) {
  const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
  const categories: Named[] = list(def?.categories).map((c) => ({
    id: String(c.id),
    name: String(c.name ?? c.id),
    depth: c.parent ? 1 : 0,
  }));
  const sourceTypes = list(def?.sourceTypes).map((s) => ({ id: String(s.id), name: String(s.name ?? s.id) }));
  const requirements: Named[] = [];
  const walk = (node: unknown, depth: number) => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n.id === 'string' && typeof n.type === 'string' && !requirements.some((r) => r.id === n.id))
      requirements.push({ id: n.id, name: String(n.title ?? n.id), depth });
    for (const child of list(n.items)) walk(child, depth + 1);
  };
  for (const stage of ['initial', 'renewal']) {
    const s = def?.[stage] as Record<string, unknown> | undefined;
    walk(s?.requirement, 0);
  }
  return { categories, sourceTypes, requirements };
}

const splitList = (text: string, by: RegExp) =>
  text
    .split(by)
    .map((t) => t.trim())
    .filter(Boolean);

const fieldLabels: Record<string, { id: string; label: string }> = {
  programId: { id: 'programId', label: 'Program' },
  code: { id: 'code', label: 'Code' },
  title: { id: 'title', label: 'Title' },
  description: { id: 'description', label: 'Description' },
  topics: { id: 'topics', label: 'Topics' },
  credits: { id: 'credits', label: 'Credit value' },
  sponsored: { id: 'sponsored', label: 'Sponsored' },
  format: { id: 'format', label: 'Format' },
  durationMinutes: { id: 'durationMinutes', label: 'Duration' },
  requirementIds: { id: 'requirementIds', label: 'Requirements it serves' },
  renewal: { id: 'renewal', label: 'Renewal course' },
  prerequisites: { id: 'prerequisites', label: 'Prerequisites' },
  completionMinPercent: { id: 'completionMinPercent', label: 'Completion rule' },
  sourceType: { id: 'sourceType', label: 'Source type' },
};

export function AddCoursePage() {
  return <CourseForm course={null} />;
}

export function EditCoursePage() {
  const { id = '' } = useParams();
  const course = useQuery({ queryKey: ['course', id], queryFn: () => api.get<Course>(`/api/courses/${id}`) });
  if (course.isError) return <PageError error={course.error} title="Edit course" what="course" />;
  if (!course.data)
    return (
      <Page title="Edit course">
        <Loading what="the course" />
      </Page>
    );
  return <CourseForm key={course.data.id} course={course.data} />;
}

function CourseForm({ course }: { course: Course | null }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const programs = usePrograms();
  const [values, setValues] = useState<Values>(course ? valuesOf(course) : blank);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const program = useQuery({
    queryKey: ['program', values.programId],
    queryFn: () => api.get<ProgramDetail>(`/api/programs/${values.programId}`),
    enabled: !!values.programId,
  });
  const { categories, sourceTypes, requirements } = programParts(program.data?.definition);
  const set = (name: keyof Values) => (value: string) => setValues((v) => ({ ...v, [name]: value }));

  /** The credits as sent, in category order, so a server error at credits.N finds its input. */
  const creditsSent = () =>
    categories
      .filter((c) => (values.credits[c.id] ?? '').trim() !== '')
      .map((c) => ({ category: c.id, amount: Number(values.credits[c.id]) }));

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      course ? api.patch<Course>(`/api/courses/${course.id}`, body) : api.post<Course>('/api/courses', body),
    onSuccess: (c) => {
      void queryClient.invalidateQueries({ queryKey: ['courses'] });
      void queryClient.invalidateQueries({ queryKey: ['course', c.id] });
      navigate(`/catalog${qs({ q: c.code })}`, {
        state: {
          flash: {
            type: 'success',
            text: course ? `Saved ${c.code}: ${c.title}.` : `Added ${c.code}: ${c.title} to the catalog.`,
          },
        },
      });
    },
    onError: () => setAttempt((n) => n + 1),
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: FieldErrors = {};
    if (!course && !values.programId) errors.programId = 'Choose the program the course belongs to.';
    if (!course && !values.code.trim()) errors.code = 'Enter the course code, like KS-Y1-01.';
    if (!values.title.trim()) errors.title = 'Enter the course title.';
    if (!values.format) errors.format = 'Choose how the course is taught.';
    if (!/^\d+$/.test(values.durationMinutes.trim()))
      errors.durationMinutes = 'Enter the length in whole minutes, like 180.';
    if (!/^\d+$/.test(values.completionMinPercent.trim()))
      errors.completionMinPercent = 'Enter a whole percentage from 1 to 100, like 90.';
    for (const c of categories) {
      const v = (values.credits[c.id] ?? '').trim();
      if (v && !/^\d+(\.\d{1,2})?$/.test(v)) {
        errors[`credit-${c.id}`] = 'Enter a number of credits, like 3 or 1.5.';
        errors.credits ??= `${c.name}: enter a number of credits, like 3 or 1.5.`;
      }
    }
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      setAttempt((n) => n + 1);
      return;
    }
    const body: Record<string, unknown> = {
      title: values.title.trim(),
      description: values.description.trim(),
      topics: splitList(values.topics, /\n/),
      credits: creditsSent(),
      sponsored: values.sponsored,
      format: values.format,
      durationMinutes: Number(values.durationMinutes),
      // Only requirements the program still has; an id it no longer defines is dropped on save.
      requirementIds: values.requirementIds.filter((id) => requirements.some((r) => r.id === id)),
      renewal: values.renewal,
      prerequisites: splitList(values.prerequisites, /[,\s]+/),
      completionMinPercent: Number(values.completionMinPercent),
      sourceType: values.sourceType || null,
    };
    if (!course) {
      body.programId = values.programId;
      body.code = values.code.trim();
    }
    save.mutate(body);
  };

  // Server messages: "credits.1.amount" belongs to the second category sent.
  const serverErrors: FieldErrors = {};
  if (save.error instanceof ApiError) {
    const sent = creditsSent();
    for (const [path, message] of Object.entries(save.error.fieldErrors)) {
      const m = /^credits\.(\d+)/.exec(path);
      if (m) {
        const cat = sent[Number(m[1])]?.category;
        if (cat) serverErrors[`credit-${cat}`] ??= message;
        serverErrors.credits ??= message;
        continue;
      }
      const key = path.split('.')[0]!;
      serverErrors[key] ??= message;
    }
  }
  const fieldErrors: FieldErrors = { ...serverErrors, ...localErrors };
  const hasLocal = Object.keys(localErrors).length > 0;
  const firstCategory = categories[0]?.id;
  const summaryFields = {
    ...fieldLabels,
    credits: { id: firstCategory ? `credit-${firstCategory}` : 'programId', label: 'Credit value' },
    requirementIds: {
      id: requirements[0] ? `req-${requirements[0].id}` : 'programId',
      label: 'Requirements it serves',
    },
  };
  const title = course ? `Edit course: ${course.code}` : 'Add a course';
  const unitDef = (program.data?.definition as { unit?: { plural?: unknown } } | null)?.unit;
  const unit = typeof unitDef?.plural === 'string' ? unitDef.plural : 'credits';

  return (
    <Page title={title} documentTitle={course ? `Edit course ${course.code}` : undefined}>
      <ErrorSummary
        error={hasLocal ? null : save.error}
        fieldErrors={fieldErrors}
        fields={summaryFields}
        attempt={attempt}
      />
      <RequiredNote />
      <Form onSubmit={submit} noValidate large>
        <Fieldset legend="The course" legendStyle="large">
          {course ? (
            <p>
              Program:{' '}
              <strong>
                {programs.data?.find((p) => p.id === course.programId)?.name ?? course.programCode}
              </strong>
              . Code: <strong>{course.code}</strong> (the code and program of a course do not change).
            </p>
          ) : (
            <>
              <SelectField
                id="programId"
                label="Program"
                required
                value={values.programId}
                onChange={(id) =>
                  setValues((v) => ({ ...v, programId: id, credits: {}, requirementIds: [], sourceType: '' }))
                }
                error={fieldErrors.programId}
              >
                <option value="">Choose a program</option>
                {programs.data?.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </SelectField>
              <TextField
                id="code"
                label="Code"
                hint="Letters, digits, dots, dashes and underscores, like KS-Y1-04."
                required
                maxLength={40}
                value={values.code}
                onChange={set('code')}
                error={fieldErrors.code}
              />
            </>
          )}
          <TextField
            id="title"
            label="Title"
            required
            maxLength={200}
            value={values.title}
            onChange={set('title')}
            error={fieldErrors.title}
          />
          <TextareaField
            id="description"
            label="Description"
            value={values.description}
            onChange={set('description')}
            error={fieldErrors.description}
            maxLength={4000}
          />
          <TextareaField
            id="topics"
            label="Topics"
            hint="One topic a line. The catalog search finds courses by topic."
            value={values.topics}
            onChange={set('topics')}
            error={fieldErrors.topics}
          />
        </Fieldset>

        <Fieldset legend="How it is taught" legendStyle="large" className="margin-top-4">
          <SelectField
            id="format"
            label="Format"
            required
            value={values.format}
            onChange={set('format')}
            error={fieldErrors.format}
          >
            <option value="">Choose a format</option>
            {courseFormats.map((f) => (
              <option key={f} value={f}>
                {formatLabels[f]}
              </option>
            ))}
          </SelectField>
          <TextField
            id="durationMinutes"
            type="number"
            inputMode="numeric"
            min={1}
            label="Duration (minutes)"
            hint="180 for a three-hour course."
            required
            value={values.durationMinutes}
            onChange={set('durationMinutes')}
            error={fieldErrors.durationMinutes}
            className="usa-input--small"
          />
          <TextField
            id="completionMinPercent"
            type="number"
            inputMode="numeric"
            min={1}
            max={100}
            label="Completion rule: share of the course to attend for credit (%)"
            hint="90 means someone who attends at least 90% of the minutes earns the credit."
            required
            value={values.completionMinPercent}
            onChange={set('completionMinPercent')}
            error={fieldErrors.completionMinPercent}
            className="usa-input--small"
          />
          <Checkbox
            id="sponsored"
            name="sponsored"
            label="Sponsored by the program’s organization"
            checked={values.sponsored}
            onChange={(e) => setValues((v) => ({ ...v, sponsored: e.target.checked }))}
          />
          <Checkbox
            id="renewal"
            name="renewal"
            label="Renewal course (only certified officials may register)"
            checked={values.renewal}
            onChange={(e) => setValues((v) => ({ ...v, renewal: e.target.checked }))}
          />
          <TextField
            id="prerequisites"
            label="Prerequisites"
            hint="Codes of courses to finish first, separated by commas, like KS-Y1-01, KS-Y1-02. Leave empty if none."
            value={values.prerequisites}
            onChange={set('prerequisites')}
            error={fieldErrors.prerequisites}
          />
        </Fieldset>

        <Fieldset
          legend={`Credit value (${unit})`}
          legendStyle="large"
          className={`margin-top-4${fieldErrors.credits ? ' usa-form-group--error' : ''}`}
        >
          {!values.programId ? (
            <p className="usa-hint">Choose the program first: its categories are listed here.</p>
          ) : program.isPending ? (
            <Loading what="the program's categories" />
          ) : (
            <>
              <p className="usa-hint">Leave a category empty when the course earns nothing in it.</p>
              {categories.map((c) => (
                <TextField
                  key={c.id}
                  id={`credit-${c.id}`}
                  type="text"
                  inputMode="numeric"
                  label={c.depth ? `${c.name} (part of its parent category)` : c.name}
                  value={values.credits[c.id] ?? ''}
                  onChange={(amount) =>
                    setValues((v) => ({ ...v, credits: { ...v.credits, [c.id]: amount } }))
                  }
                  error={fieldErrors[`credit-${c.id}`]}
                  className="usa-input--small"
                />
              ))}
            </>
          )}
          {fieldErrors.credits && !categories.some((c) => fieldErrors[`credit-${c.id}`]) && (
            <ErrorMessage id="credits-error">{fieldErrors.credits}</ErrorMessage>
          )}
        </Fieldset>

        {values.programId && (requirements.length > 0 || sourceTypes.length > 0) && (
          <Fieldset legend="In the program" legendStyle="large" className="margin-top-4">
            {sourceTypes.length > 0 && (
              <SelectField
                id="sourceType"
                label="Source type"
                hint="Where credit for this course comes from, as the program names it."
                value={values.sourceType}
                onChange={set('sourceType')}
                error={fieldErrors.sourceType}
              >
                <option value="">None</option>
                {sourceTypes.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </SelectField>
            )}
            {requirements.length > 0 && (
              <Fieldset
                legend="Requirements it serves"
                className={`margin-top-3${fieldErrors.requirementIds ? ' usa-form-group--error' : ''}`}
              >
                {fieldErrors.requirementIds && (
                  <ErrorMessage id="requirementIds-error">{fieldErrors.requirementIds}</ErrorMessage>
                )}
                {requirements.map((r) => (
                  <div key={r.id} className={`indent-${Math.min(r.depth, 4)}`}>
                    <Checkbox
                      id={`req-${r.id}`}
                      name="requirementIds"
                      value={r.id}
                      label={r.name}
                      checked={values.requirementIds.includes(r.id)}
                      onChange={(e) =>
                        setValues((v) => ({
                          ...v,
                          requirementIds: e.target.checked
                            ? [...v.requirementIds, r.id]
                            : v.requirementIds.filter((x) => x !== r.id),
                        }))
                      }
                    />
                  </div>
                ))}
              </Fieldset>
            )}
          </Fieldset>
        )}

        <div className="margin-top-4">
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : course ? 'Save course' : 'Add course'}
          </Button>
          <Link to="/catalog" className="usa-button usa-button--unstyled margin-left-2">
            Back to the catalog
          </Link>
        </div>
      </Form>
    </Page>
  );
}
