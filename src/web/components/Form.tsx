import { useEffect, useRef, type ChangeEvent, type ReactNode } from 'react';
import { Alert, ErrorMessage, FormGroup, Label, Select, TextInput } from '@trussworks/react-uswds';
import { ApiError } from '../api';

export type FieldErrors = Record<string, string>;

/** Field messages from a zod safeParse result, keyed by the first path segment. */
export function zodFieldErrors(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>) {
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
}

type TextFieldProps = BaseFieldProps & {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'tel' | 'search';
  autoComplete?: string;
  inputMode?: 'text' | 'email' | 'tel' | 'numeric';
  maxLength?: number;
  spellCheck?: boolean;
  className?: string;
  readOnly?: boolean;
};

export function TextField({
  id,
  label,
  error,
  hint,
  required,
  value,
  onChange,
  type = 'text',
  ...rest
}: TextFieldProps) {
  return (
    <FormGroup error={!!error}>
      <Label htmlFor={id} error={!!error} requiredMarker={required}>
        {label}
      </Label>
      {hint && (
        <div className="usa-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
      <TextInput
        id={id}
        name={id}
        type={type}
        value={value}
        required={required}
        validationStatus={error ? 'error' : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
        {...rest}
      />
    </FormGroup>
  );
}

type SelectFieldProps = BaseFieldProps & {
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  className?: string;
};

export function SelectField({
  id,
  label,
  error,
  hint,
  required,
  value,
  onChange,
  children,
  className,
}: SelectFieldProps) {
  return (
    <FormGroup error={!!error} className={className}>
      <Label htmlFor={id} error={!!error} requiredMarker={required}>
        {label}
      </Label>
      {hint && (
        <div className="usa-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage>}
      <Select
        id={id}
        name={id}
        value={value}
        required={required}
        validationStatus={error ? 'error' : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e: ChangeEvent<HTMLSelectElement>) => onChange(e.target.value)}
      >
        {children}
      </Select>
    </FormGroup>
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
