import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Fieldset, Form } from '@trussworks/react-uswds';
import type { z } from 'zod';
import type { designSchema } from '../../../contract/designs';
import { borderLabels, borderStyles, type BorderStyle } from '../../../domain/certificates/index';
import { api } from '../../api';
import { Alert } from '../../components/Alert';
import { Loading, Page } from '../../components/Page';
import { formatDateTime } from '../../format';
import { ErrorAlert } from '../../components/PageError';
import { ErrorSummary, SelectField, TextField, formErrors } from '../../components/Form';

type Design = z.infer<typeof designSchema>;
type Program = { id: string; name: string; timeZone: string; abilities: { updateDesign: boolean } };
/** An image of the form: kept (by id), newly chosen (base64), or none. */
type Img = { id: string; dataUrl: string } | { png: string; dataUrl: string; name: string } | null;

const fields = {
  heading: { id: 'design-heading', label: 'Heading' },
  introLine: { id: 'design-intro', label: 'Opening line' },
  metLine: { id: 'design-met', label: '"Has met" line' },
  designationLine: { id: 'design-designation', label: 'Designation line' },
  primaryColor: { id: 'design-primary', label: 'Main colour' },
  accentColor: { id: 'design-accent', label: 'Accent colour' },
  border: { id: 'design-border', label: 'Border' },
  logo: { id: 'design-logo', label: 'Logo' },
  seal: { id: 'design-seal', label: 'Seal' },
  signers: { id: 'signer-0-name', label: 'Signers' },
  'signers.0.name': { id: 'signer-0-name', label: 'First signer name' },
  'signers.0.title': { id: 'signer-0-title', label: 'First signer title' },
  'signers.0.signature': { id: 'signer-0-signature', label: 'First signature' },
  'signers.1.name': { id: 'signer-1-name', label: 'Second signer name' },
  'signers.1.title': { id: 'signer-1-title', label: 'Second signer title' },
  'signers.1.signature': { id: 'signer-1-signature', label: 'Second signature' },
};

const readAsBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new Error('The file could not be read.'));
    r.readAsDataURL(file);
  });

/** What the API takes for an image: keep by id, a new PNG, or null. */
const imageBody = (i: Img) => (!i ? null : 'id' in i ? { id: i.id } : { png: i.png });

function ImageField(p: {
  id: string;
  label: string;
  value: Img;
  onChange: (i: Img) => void;
  error?: string | undefined;
  disabled: boolean;
}) {
  const hintId = `${p.id}-hint`;
  const errorId = `${p.id}-error`;
  return (
    <div className={`usa-form-group${p.error ? ' usa-form-group--error' : ''}`}>
      <label className="usa-label" htmlFor={p.id}>
        {p.label}
      </label>
      <span className="usa-hint" id={hintId}>
        A PNG image of at most 512 KB. SVG cannot be drawn on the certificate.
      </span>
      {p.error && (
        <span className="usa-error-message" id={errorId} role="alert">
          {p.error}
        </span>
      )}
      {p.value && (
        <p className="margin-y-1">
          <img src={p.value.dataUrl} alt={`${p.label} as it is now`} className="design-image" />{' '}
          {'name' in p.value ? p.value.name : 'Saved image'}{' '}
          {!p.disabled && (
            <Button type="button" unstyled onClick={() => p.onChange(null)}>
              Remove the {p.label.toLowerCase()}
            </Button>
          )}
        </p>
      )}
      {!p.disabled && (
        <input
          id={p.id}
          name={p.id}
          type="file"
          accept="image/png"
          className="usa-file-input__input"
          aria-describedby={[hintId, p.error ? errorId : ''].filter(Boolean).join(' ')}
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            const png = await readAsBase64(file);
            p.onChange({ png, name: file.name, dataUrl: `data:image/png;base64,${png}` });
          }}
        />
      )}
    </div>
  );
}

/**
 * A program's certificate design (issue 18 item 6): wording, colours, border, logo, seal and up to
 * two signers with their signatures. "Preview" draws the form as it is (not saved) as a PDF with a
 * sample official; "Save" makes the next version, which certificates issued from then on use.
 * Coordinators who run the program see it read-only.
 */
export function CertificateDesignPage() {
  const { id = '' } = useParams();
  const program = useQuery({
    queryKey: ['program', id],
    queryFn: () => api.get<Program>(`/api/programs/${id}`),
  });
  const design = useQuery({
    queryKey: ['certificate-design', id],
    queryFn: () => api.get<Design>(`/api/programs/${id}/certificate-design`),
  });
  const title = 'Certificate design';
  // Kept here: a save draws the form again (its key is the version), the message stays.
  const [saved, setSaved] = useState<number | null>(null);
  return (
    <Page title={title} documentTitle={program.data ? `${title}: ${program.data.name}` : title}>
      <p>
        <Link to={`/programs/${id}`}>Back to {program.data?.name ?? 'the program'}</Link>
      </p>
      {(design.isPending || program.isPending) && <Loading what="the certificate design" />}
      {design.error && <ErrorAlert error={design.error} />}
      {saved !== null && (
        <Alert type="success" headingLevel="h2" slim role="status">
          Design saved as version {saved}. Certificates issued from now on use it.
        </Alert>
      )}
      {design.data && program.data && (
        <DesignForm
          onSaved={setSaved}
          key={design.data.version}
          design={design.data}
          timeZone={program.data.timeZone}
          editable={program.data.abilities.updateDesign}
        />
      )}
    </Page>
  );
}

function DesignForm({
  design,
  timeZone,
  editable,
  onSaved,
}: {
  design: Design;
  /** The program's zone: the saved time is shown in it, with its abbreviation. */
  timeZone: string;
  editable: boolean;
  onSaved: (version: number) => void;
}) {
  const client = useQueryClient();
  const [v, setV] = useState({
    heading: design.heading,
    introLine: design.introLine,
    metLine: design.metLine,
    designationLine: design.designationLine,
    primaryColor: design.primaryColor,
    accentColor: design.accentColor,
    border: design.border as BorderStyle,
  });
  const [logo, setLogo] = useState<Img>(design.logo);
  const [seal, setSeal] = useState<Img>(design.seal);
  const [signers, setSigners] = useState(
    [0, 1].map((i) => ({
      name: design.signers[i]?.name ?? '',
      title: design.signers[i]?.title ?? '',
      signature: (design.signers[i]?.signature ?? null) as Img,
    })),
  );
  const [attempt, setAttempt] = useState(0);
  const [previewUrl, setPreviewUrl] = useState<string | null>(null);
  useEffect(() => () => void (previewUrl && URL.revokeObjectURL(previewUrl)), [previewUrl]);
  const body = () => ({
    ...v,
    logo: imageBody(logo),
    seal: imageBody(seal),
    signers: signers
      .filter((s) => s.name.trim() || s.title.trim())
      .map((s) => ({ name: s.name, title: s.title, signature: imageBody(s.signature) })),
  });
  const save = useMutation({
    mutationFn: () => api.put<Design>(`/api/programs/${design.programId}/certificate-design`, body()),
    onSuccess: (next) => {
      onSaved(next.version);
      client.setQueryData(['certificate-design', design.programId], next);
    },
    onError: () => setAttempt((n) => n + 1),
  });
  const preview = useMutation({
    mutationFn: () => api.postForFile(`/api/programs/${design.programId}/certificate-design/preview`, body()),
    onSuccess: (pdf) => setPreviewUrl(URL.createObjectURL(pdf)),
    onError: () => setAttempt((n) => n + 1),
  });
  const error = save.error ?? preview.error;
  const fieldErrors = formErrors(error);
  const set = (k: keyof typeof v) => (value: string) => setV((o) => ({ ...o, [k]: value }));
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    preview.reset();
    save.mutate();
  };
  const text = (k: keyof typeof v, hint: string) => (
    <TextField
      id={fields[k].id}
      label={fields[k].label}
      hint={hint}
      value={v[k]}
      onChange={set(k)}
      error={fieldErrors[k]}
    />
  );
  // Read-only for coordinators: every field is disabled and there is no form to submit.
  const designFields = (
    <fieldset className="usa-fieldset" disabled={!editable}>
      <legend className="usa-sr-only">Certificate design</legend>
      <Fieldset legend="Wording">
        {text('heading', 'The title at the top, such as the designation.')}
        {text('introLine', 'Before the official’s name.')}
        {text('metLine', 'Before the program’s name.')}
        {text('designationLine', 'Before the designation.')}
      </Fieldset>
      <Fieldset legend="Colours and border">
        {text('primaryColor', 'Border, heading, name and designation: a hex colour like #162e51.')}
        {text('accentColor', 'The rule under the heading and the corner ornaments: like #8a6d1c.')}
        <SelectField
          id={fields.border.id}
          label="Border"
          value={v.border}
          onChange={set('border')}
          error={fieldErrors.border}
        >
          {borderStyles.map((b) => (
            <option key={b} value={b}>
              {borderLabels[b]}
            </option>
          ))}
        </SelectField>
      </Fieldset>
      <Fieldset legend="Logo and seal">
        <ImageField
          id={fields.logo.id}
          label="Logo"
          value={logo}
          onChange={setLogo}
          error={fieldErrors.logo}
          disabled={!editable}
        />
        <ImageField
          id={fields.seal.id}
          label="Seal"
          value={seal}
          onChange={setSeal}
          error={fieldErrors.seal}
          disabled={!editable}
        />
      </Fieldset>
      {signers.map((s, i) => {
        const which = i === 0 ? 'First' : 'Second';
        const update = (patch: Partial<typeof s>) =>
          setSigners((all) => all.map((x, j) => (j === i ? { ...x, ...patch } : x)));
        return (
          <Fieldset key={i} legend={`${which} signer (optional)`}>
            <TextField
              id={`signer-${i}-name`}
              label="Name"
              value={s.name}
              onChange={(name) => update({ name })}
              error={fieldErrors[`signers.${i}.name`] ?? (i === 0 ? fieldErrors.signers : undefined)}
            />
            <TextField
              id={`signer-${i}-title`}
              label="Title"
              value={s.title}
              onChange={(title) => update({ title })}
              error={fieldErrors[`signers.${i}.title`]}
            />
            <ImageField
              id={`signer-${i}-signature`}
              label="Signature"
              value={s.signature}
              onChange={(signature) => update({ signature })}
              error={fieldErrors[`signers.${i}.signature`]}
              disabled={!editable}
            />
          </Fieldset>
        );
      })}
    </fieldset>
  );
  return (
    <>
      <p id="design-version">
        {design.version === 0
          ? 'The program has the default design (no version saved yet).'
          : `Version ${design.version}, saved ${formatDateTime(design.savedAt, timeZone)}${design.savedBy ? ` by ${design.savedBy}` : ''}.`}{' '}
        Certificates keep the version they were issued with; a re-issue uses the current one.
      </p>
      <ErrorSummary error={error} fieldErrors={fieldErrors} fields={fields} attempt={attempt} />
      {editable ? (
        <Form onSubmit={submit} noValidate large>
          {designFields}
          {
            <div className="margin-top-3">
              <Button type="button" outline onClick={() => preview.mutate()} disabled={preview.isPending}>
                Preview
              </Button>
              <Button type="submit" disabled={save.isPending}>
                Save as a new version
              </Button>
            </div>
          }
        </Form>
      ) : (
        <div className="usa-form usa-form--large">{designFields}</div>
      )}
      {preview.isSuccess && previewUrl && (
        <Alert type="info" headingLevel="h2" slim role="status" className="margin-top-3">
          Preview ready (not saved):{' '}
          <a href={previewUrl} download="certificate-preview.pdf">
            Download the preview (PDF)
          </a>
        </Alert>
      )}
      {preview.error && !save.error && <ErrorAlert error={preview.error} />}
    </>
  );
}
