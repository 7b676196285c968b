import { useEffect, useRef, type ChangeEvent, type ReactNode, type Ref } from 'react';
import { ErrorMessage, FormGroup, Label, Select, Textarea } from '@trussworks/react-uswds';
import { Alert } from './Alert';
import { ApiError } from '../api';

export type FieldErrors = Record<string, string>;

type Issue = { path: ReadonlyArray<PropertyKey>; message: string };

/**
 * The one way to turn problems into form errors: a message per field, keyed by the first part of
 * its path ("instructorIds.0" → "instructorIds", "credits[2].amount" → "credits"), the first message
 * winning. Takes a failed request (an ApiError with the server's field errors) or the issues of a
 * zod check made in the browser; anything else (no error, a network failure) gives none.
 */
export function formErrors(source: unknown): FieldErrors {
  const issues: Issue[] =
    source instanceof ApiError
      ? Object.entries(source.fieldErrors).map(([field, message]) => ({
          path: field.split(/[.[]/),
          message,
        }))
      : Array.isArray(source)
        ? (source as Issue[])
        : [];
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? '');
    if (key && !(key in out)) out[key] = issue.message;
  }
  return out;
}

function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

interface BaseFieldProps {
  id: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  /** The control's name when it is not its id. */
  name?: string;
  /** Classes for the form group around label, hint, message and control. */
  groupClassName?: string;
  /** Classes for the hint (e.g. a darker text on a coloured background). */
  hintClassName?: string;
}

/** Label, hint, error message: the top of every field, wired to the control by id. */
function FieldShell({
  id,
  label,
  error,
  hint,
  required,
  groupClassName,
  hintClassName,
  children,
}: BaseFieldProps & { children: ReactNode }) {
  return (
    <FormGroup error={!!error} className={groupClassName}>
      <Label htmlFor={id} error={!!error} requiredMarker={required}>
        {label}
      </Label>
      {hint && (
        <div className={`usa-hint${hintClassName ? ` ${hintClassName}` : ''}`} id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
      {children}
    </FormGroup>
  );
}

type TextFieldProps = BaseFieldProps & {
  value: string;
  onChange: (value: string) => void;
  type?:
    'text' | 'email' | 'password' | 'tel' | 'search' | 'url' | 'number' | 'date' | 'month' | 'datetime-local';
  autoComplete?: string;
  inputMode?: 'text' | 'email' | 'tel' | 'numeric' | 'url';
  maxLength?: number;
  min?: number | string;
  max?: number | string;
  spellCheck?: boolean;
  /** Classes for the input itself (e.g. usa-input--small). */
  className?: string;
  readOnly?: boolean;
  inputRef?: Ref<HTMLInputElement>;
};

/** A USWDS text input (also e-mail, number, URL, date, month and date-time) with its label, hint and error. */
export function TextField({
  id,
  label,
  error,
  hint,
  required,
  name,
  groupClassName,
  hintClassName,
  value,
  onChange,
  type = 'text',
  className,
  inputRef,
  ...rest
}: TextFieldProps) {
  return (
    <FieldShell {...{ id, label, error, hint, required, groupClassName, hintClassName }}>
      <input
        id={id}
        name={name ?? id}
        type={type}
        ref={inputRef}
        className={`usa-input${error ? ' usa-input--error' : ''}${className ? ` ${className}` : ''}`}
        value={value}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
        {...rest}
      />
    </FieldShell>
  );
}

type TextareaFieldProps = BaseFieldProps & {
  value: string;
  onChange: (value: string) => void;
  maxLength?: number;
  spellCheck?: boolean;
  /** Classes for the textarea itself. */
  className?: string;
  inputRef?: Ref<HTMLTextAreaElement>;
};

/** A USWDS textarea with its label, hint and error. */
export function TextareaField({
  id,
  label,
  error,
  hint,
  required,
  name,
  groupClassName,
  hintClassName,
  value,
  onChange,
  inputRef,
  ...rest
}: TextareaFieldProps) {
  return (
    <FieldShell {...{ id, label, error, hint, required, groupClassName, hintClassName }}>
      <Textarea
        id={id}
        name={name ?? id}
        inputRef={inputRef}
        value={value}
        required={required}
        error={!!error}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e: ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value)}
        {...rest}
      />
    </FieldShell>
  );
}

type SelectFieldProps = BaseFieldProps & {
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  /** Classes for the form group (as groupClassName). */
  className?: string;
};

export function SelectField({
  id,
  label,
  error,
  hint,
  required,
  name,
  groupClassName,
  hintClassName,
  value,
  onChange,
  children,
  className,
}: SelectFieldProps) {
  return (
    <FieldShell
      {...{ id, label, error, hint, required, hintClassName }}
      groupClassName={groupClassName ?? className}
    >
      <Select
        id={id}
        name={name ?? id}
        value={value}
        required={required}
        validationStatus={error ? 'error' : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e: ChangeEvent<HTMLSelectElement>) => onChange(e.target.value)}
      >
        {children}
      </Select>
    </FieldShell>
  );
}

export function RequiredNote() {
  return (
    <p className="usa-hint">
      A red asterisk (
      <abbr title="required" className="usa-hint usa-hint--required">
        *
      </abbr>
      ) marks a required field.
    </p>
  );
}

interface ErrorSummaryProps {
  /** The failed request, if any. */
  error: unknown;
  /** Field messages to list (from the server or from checks in the browser). */
  fieldErrors: FieldErrors;
  /** Field name → element id and label, for links from the summary to the field. */
  fields: Record<string, { id: string; label: string }>;
  /** Changes whenever a new submission fails, so focus moves to the summary again. */
  attempt: number;
}

/**
 * The box at the top of a form after a failed submission: the server's
 * explanation, and a link to each field that needs attention. It takes focus
 * so keyboard and screen-reader users know the form was not sent.
 */
export function ErrorSummary({ error, fieldErrors, fields, attempt }: ErrorSummaryProps) {
  const box = useRef<HTMLDivElement>(null);
  const listed = Object.entries(fieldErrors).filter(([name]) => name in fields);
  // When every problem is on a field of this form, the list says it all, in the fields' own words;
  // the server's one-line detail ("programId: … (and 7 more)") would only repeat it in code names.
  const problems = error instanceof ApiError ? Object.keys(error.fieldErrors) : [];
  const allListed = problems.length > 0 && problems.every((name) => name in fields);
  const detail =
    error instanceof ApiError && allListed
      ? listed.length === 1
        ? 'Correct this field:'
        : `Correct these ${listed.length} fields:`
      : error instanceof ApiError
        ? error.message
        : error
          ? 'Something went wrong. Try again in a moment.'
          : listed.length
            ? 'Check the fields below.'
            : null;
  const visible = detail !== null;

  useEffect(() => {
    if (visible && attempt > 0) box.current?.focus();
  }, [attempt, visible]);

  if (!visible) return null;
  return (
    <div ref={box} tabIndex={-1} className="error-summary margin-bottom-3">
      <Alert type="error" headingLevel="h2" heading="There is a problem">
        <p className="margin-top-05">{detail}</p>
        {listed.length > 0 && (
          <ul>
            {listed.map(([name, message]) => {
              const field = fields[name]!;
              return (
                <li key={name}>
                  <a
                    href={`#${field.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      document.getElementById(field.id)?.focus();
                    }}
                  >
                    {field.label}: {message}
                  </a>
                </li>
              );
            })}
          </ul>
        )}
      </Alert>
    </div>
  );
}
