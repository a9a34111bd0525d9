import type { ComponentChildren } from 'preact';
import type { FieldError } from '../domain/errors';
import type { OfficePolicy } from '../domain/policy';
import { browserPolicyJson } from '../domain/validation/index';
import type { ViewContext } from './context';

/** Text from the catalogue that holds paragraphs separated by blank lines. */
export function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n\n+/).map((p) => (
        <p class="govuk-body">{p}</p>
      ))}
    </>
  );
}

export function Heading({
  children,
  caption,
}: {
  children: ComponentChildren;
  caption?: string | undefined;
}) {
  return (
    <h1 class="govuk-heading-l">
      {caption ? <span class="govuk-caption-l">{caption}</span> : null}
      {children}
    </h1>
  );
}

export function Panel({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="govuk-panel govuk-panel--confirmation">
      <h1 class="govuk-panel__title">{title}</h1>
      {children ? <div class="govuk-panel__body">{children}</div> : null}
    </div>
  );
}

export function InsetText({ children }: { children: ComponentChildren }) {
  return <div class="govuk-inset-text">{children}</div>;
}

export function NotificationBanner({
  title,
  children,
  success,
}: {
  title: string;
  children: ComponentChildren;
  success?: boolean;
}) {
  return (
    <div
      class={`govuk-notification-banner${success ? ' govuk-notification-banner--success' : ''}`}
      role={success ? 'alert' : 'region'}
      aria-labelledby="notification-banner-title"
    >
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="notification-banner-title">
          {title}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">{children}</div>
    </div>
  );
}

export interface SummaryRow {
  key: string;
  value: ComponentChildren;
}

export function SummaryList({ rows }: { rows: SummaryRow[] }) {
  return (
    <dl class="govuk-summary-list">
      {rows.map((row) => (
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">{row.key}</dt>
          <dd class="govuk-summary-list__value">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A table; `captionHidden` when a heading right above already names it. */
export function Table({
  caption,
  head,
  rows,
  captionHidden = false,
}: {
  caption: string;
  head: string[];
  rows: ComponentChildren[][];
  captionHidden?: boolean;
}) {
  return (
    <table class={`govuk-table uo-table-stack${head.length > 6 ? ' uo-table-dense' : ''}`}>
      <caption
        class={
          captionHidden
            ? 'govuk-table__caption govuk-visually-hidden'
            : 'govuk-table__caption govuk-table__caption--m'
        }
      >
        {caption}
      </caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          {head.map((h) => (
            <th scope="col" class="govuk-table__header">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        {rows.map((cells) => (
          <tr class="govuk-table__row">
            {cells.map((cell, i) =>
              i === 0 ? (
                <th scope="row" class="govuk-table__header" data-label={head[i]}>
                  {cell}
                </th>
              ) : (
                <td class="govuk-table__cell" data-label={head[i]}>
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The error summary at the top of a form; each entry links to its field. */
export function ErrorSummary({ ctx, errors }: { ctx: ViewContext; errors: FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    // The page title gets the same prefix (views/render.ts): the first thing a screen reader says.
    <div
      class="govuk-error-summary"
      data-module="govuk-error-summary"
      data-title-prefix={ctx.t('form.error.prefix')}
    >
      <div role="alert">
        <h2 class="govuk-error-summary__title">{ctx.t('form.errorSummary.title')}</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-error-summary__list">
            {errors.map((e) => (
              <li>
                <a href={`#${e.field}`}>{ctx.t(e.key, e.params)}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

export function CsrfField({ ctx }: { ctx: ViewContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

export function Button({
  children,
  name,
  value,
  secondary,
}: {
  children: ComponentChildren;
  name?: string;
  value?: string;
  secondary?: boolean;
}) {
  return (
    <button
      type="submit"
      class={`govuk-button${secondary ? ' govuk-button--secondary' : ''}`}
      data-module="govuk-button"
      name={name}
      value={value}
    >
      {children}
    </button>
  );
}

export interface RadioOption {
  value: string;
  label: string;
  hint?: string;
}

/** A radios fieldset; `id` of the first input is the field name, so the error summary can link to it. */
export function Radios({
  ctx,
  name,
  legend,
  options,
  checked,
  errors = [],
  inline,
}: {
  ctx: ViewContext;
  name: string;
  legend: string;
  options: RadioOption[];
  checked?: string | undefined;
  errors?: FieldError[];
  inline?: boolean;
}) {
  const error = errors.find((e) => e.field === name);
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={error ? `${name}-error` : undefined}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{legend}</legend>
        {error ? (
          <p id={`${name}-error`} class="govuk-error-message">
            <span class="govuk-visually-hidden">{ctx.t('form.error.prefix')}</span>{' '}
            {ctx.t(error.key, error.params)}
          </p>
        ) : null}
        <div class={`govuk-radios${inline ? ' govuk-radios--inline' : ''}`} data-module="govuk-radios">
          {options.map((option, i) => {
            const id = i === 0 ? name : `${name}-${i + 1}`;
            return (
              <div class="govuk-radios__item">
                <input
                  class="govuk-radios__input"
                  id={id}
                  name={name}
                  type="radio"
                  value={option.value}
                  checked={checked === option.value}
                />
                <label class="govuk-label govuk-radios__label" for={id}>
                  {option.label}
                </label>
                {option.hint ? <div class="govuk-hint govuk-radios__hint">{option.hint}</div> : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function TextField({
  ctx,
  name,
  id = name,
  label,
  value,
  hint,
  type = 'text',
  autocomplete,
  inputmode,
  errors = [],
  width,
  maxLength,
}: {
  ctx: ViewContext;
  name: string;
  /** The control's id when the name is used by another field on the page. */
  id?: string;
  label: string;
  value?: string | undefined;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'tel' | 'date' | 'number';
  autocomplete?: string;
  /** "numeric" for codes: the digit keyboard on phones without the number input's spinner. */
  inputmode?: 'numeric';
  errors?: FieldError[];
  width?: 10 | 20 | 30;
  /** The server's limit on the field's length: set as maxlength and said in the hint. */
  maxLength?: number | undefined;
}) {
  hint = withLimit(ctx, hint, maxLength);
  const error = errors.find((e) => e.field === name);
  const describedBy =
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label" for={id}>
        {label}
      </label>
      {hint ? (
        <div id={`${id}-hint`} class="govuk-hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={`${id}-error`} class="govuk-error-message">
          <span class="govuk-visually-hidden">{ctx.t('form.error.prefix')}</span>{' '}
          {ctx.t(error.key, error.params)}
        </p>
      ) : null}
      <input
        class={`govuk-input${width ? ` govuk-input--width-${width}` : ''}${error ? ' govuk-input--error' : ''}`}
        id={id}
        name={name}
        type={type}
        value={value}
        autocomplete={autocomplete}
        inputmode={inputmode}
        maxLength={maxLength}
        spellcheck={inputmode === 'numeric' ? false : undefined}
        aria-describedby={describedBy}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
}

/** A POST form with its CSRF token; `novalidate` so the server's messages are the ones shown. */
export function Form({
  ctx,
  action,
  children,
  inline,
}: {
  ctx: ViewContext;
  action: string;
  children: ComponentChildren;
  inline?: boolean;
}) {
  return (
    <form method="post" action={action} novalidate class={inline ? 'uo-inline-form' : undefined}>
      <CsrfField ctx={ctx} />
      {children}
    </form>
  );
}

/**
 * A POST form with files. The CSRF token is its first field: the server reads it from the
 * multipart body before any file (src/http/multipart-form.ts), never from the address. With an
 * office's policy the browser pre-check (public/precheck.js) gets the accepted formats, the
 * limit and its messages in the page's language.
 */
export function UploadForm({
  ctx,
  action,
  policy,
  autosaveFailed,
  children,
}: {
  ctx: ViewContext;
  action: string;
  policy?: OfficePolicy;
  /** Saves the form's text as a draft while it is typed (draft-autosave.js); says this when it fails. */
  autosaveFailed?: string;
  children: ComponentChildren;
}) {
  return (
    <>
      <form
        method="post"
        action={action}
        enctype="multipart/form-data"
        novalidate
        data-policy={policy ? browserPolicyJson(policy, ctx.t) : undefined}
        data-autosave-failed={autosaveFailed}
      >
        <CsrfField ctx={ctx} />
        {children}
      </form>
      {policy ? <script type="module" src="/assets/precheck.js"></script> : null}
      {autosaveFailed ? <script type="module" src="/assets/draft-autosave.js"></script> : null}
    </>
  );
}

/** One checkbox that must be ticked (e.g. consent to the terms); value "yes". */
export function Checkbox({
  ctx,
  name,
  label,
  checked,
  hint,
  errors = [],
}: {
  ctx: ViewContext;
  name: string;
  label: ComponentChildren;
  checked?: boolean;
  /** Shown under the label, e.g. links to what is being agreed to. */
  hint?: ComponentChildren;
  errors?: FieldError[];
}) {
  const error = errors.find((e) => e.field === name);
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      {error ? (
        <p id={`${name}-error`} class="govuk-error-message">
          <span class="govuk-visually-hidden">{ctx.t('form.error.prefix')}</span>{' '}
          {ctx.t(error.key, error.params)}
        </p>
      ) : null}
      <div class="govuk-checkboxes" data-module="govuk-checkboxes">
        <div class="govuk-checkboxes__item">
          <input
            class="govuk-checkboxes__input"
            id={name}
            name={name}
            type="checkbox"
            value="yes"
            checked={checked}
            aria-describedby={describedBy || undefined}
            aria-invalid={error ? 'true' : undefined}
          />
          <label class="govuk-label govuk-checkboxes__label" for={name}>
            {label}
          </label>
          {hint ? (
            <div id={`${name}-hint`} class="govuk-hint govuk-checkboxes__hint">
              {hint}
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/**
 * The error messages under a field, linked from the error summary by the field's id: every one
 * of them, a line each (several files of one input can each break a rule).
 */
function FieldErrorMessage({ ctx, name, errors }: { ctx: ViewContext; name: string; errors: FieldError[] }) {
  const own = errors.filter((e) => e.field === name);
  return own.length > 0 ? (
    <p id={`${name}-error`} class="govuk-error-message">
      {own.map((error, i) => (
        <>
          {i > 0 ? <br /> : null}
          <span class="govuk-visually-hidden">{ctx.t('form.error.prefix')}</span>{' '}
          {ctx.t(error.key, error.params)}
        </>
      ))}
    </p>
  ) : null;
}

/** A field's hint with its length limit added, so the limit is said before it is hit. */
const withLimit = (
  ctx: ViewContext,
  hint: string | undefined,
  max: number | undefined,
): string | undefined =>
  max === undefined ? hint : [hint, ctx.t('form.hint.maxLength', { max })].filter(Boolean).join(' ');

const describedBy = (name: string, hint: string | undefined, errors: FieldError[]): string | undefined =>
  [hint ? `${name}-hint` : '', errors.some((e) => e.field === name) ? `${name}-error` : '']
    .filter(Boolean)
    .join(' ') || undefined;

function Hint({ name, hint }: { name: string; hint: string | undefined }) {
  return hint ? (
    <div id={`${name}-hint`} class="govuk-hint">
      {hint}
    </div>
  ) : null;
}

/** A labelled form group: hint and error message under the label, the control last. */
function FormGroup({
  ctx,
  name,
  label,
  hint,
  errors,
  children,
}: {
  ctx: ViewContext;
  name: string;
  label: string;
  hint?: string | undefined;
  errors: FieldError[];
  children: ComponentChildren;
}) {
  const error = errors.some((e) => e.field === name);
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label" for={name}>
        {label}
      </label>
      <Hint name={name} hint={hint} />
      <FieldErrorMessage ctx={ctx} name={name} errors={errors} />
      {children}
    </div>
  );
}

/** `aria-invalid` on a control whose field is in error, so assistive technology announces it. */
const invalid = (name: string, errors: FieldError[]): 'true' | undefined =>
  errors.some((e) => e.field === name) ? 'true' : undefined;

const errorClass = (base: string, name: string, errors: FieldError[]) =>
  errors.some((e) => e.field === name) ? `${base} ${base}--error` : base;

export function Textarea({
  ctx,
  name,
  label,
  value,
  hint,
  errors = [],
  rows = 3,
  maxLength,
}: {
  ctx: ViewContext;
  name: string;
  label: string;
  value?: string | undefined;
  hint?: string;
  errors?: FieldError[];
  rows?: number;
  /** The server's limit on the text's length: set as maxlength and said in the hint. */
  maxLength?: number | undefined;
}) {
  hint = withLimit(ctx, hint, maxLength);
  return (
    <FormGroup ctx={ctx} name={name} label={label} hint={hint} errors={errors}>
      <textarea
        class={errorClass('govuk-textarea', name, errors)}
        id={name}
        name={name}
        rows={rows}
        maxLength={maxLength}
        aria-describedby={describedBy(name, hint, errors)}
        aria-invalid={invalid(name, errors)}
      >
        {value}
      </textarea>
    </FormGroup>
  );
}

export function Select({
  ctx,
  name,
  label,
  options,
  value,
  errors = [],
}: {
  ctx: ViewContext;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | undefined;
  errors?: FieldError[];
}) {
  return (
    <FormGroup ctx={ctx} name={name} label={label} errors={errors}>
      <select
        class={errorClass('govuk-select', name, errors)}
        id={name}
        name={name}
        aria-describedby={describedBy(name, undefined, errors)}
        aria-invalid={invalid(name, errors)}
      >
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </FormGroup>
  );
}

export function FileUpload({
  ctx,
  name,
  label,
  hint,
  errors = [],
  multiple,
}: {
  ctx: ViewContext;
  name: string;
  label: string;
  hint?: string;
  errors?: FieldError[];
  multiple?: boolean;
}) {
  return (
    <FormGroup ctx={ctx} name={name} label={label} hint={hint} errors={errors}>
      <input
        class={errorClass('govuk-file-upload', name, errors)}
        id={name}
        name={name}
        type="file"
        multiple={multiple}
        aria-describedby={describedBy(name, hint, errors)}
        aria-invalid={invalid(name, errors)}
      />
    </FormGroup>
  );
}
