import type { ComponentChildren } from 'preact';
import { Heading, Table } from '../components';
import type { ViewContext } from '../context';
import { Layout } from '../layout';

/** The parts of an OpenAPI 3.1 document this page reads. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Content {
  [mediaType: string]: { schema?: Schema };
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Content };
  responses?: Record<string, { description?: string; content?: Content }>;
}
export interface OpenApiDocument {
  info: { title: string; description?: string; version: string };
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  webhooks?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const schemaId = (name: string) => `schema-${name}`;

/** The document's own texts are English: marked so, for screen readers on the Polish page. */
function English({ text }: { text: string | undefined }) {
  return text ? <span lang="en">{text}</span> : null;
}

/** A schema in one line: a link for a named schema, "array of …", the allowed values. */
function TypeOf({ schema }: { schema: Schema | undefined }): ComponentChildren {
  if (!schema) return '—';
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? schema.$ref;
    return (
      <a class="govuk-link" href={`#${schemaId(name)}`}>
        {name}
      </a>
    );
  }
  const alternatives = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (alternatives)
    return (
      <>
        {alternatives.map((s, i) => (
          <>
            {i > 0 ? (schema.allOf ? ' & ' : ' | ') : null}
            <TypeOf schema={s} />
          </>
        ))}
      </>
    );
  if (schema.const !== undefined) return <code>{JSON.stringify(schema.const)}</code>;
  if (schema.enum) return <code>{schema.enum.map((v) => JSON.stringify(v)).join(' | ')}</code>;
  const type = [schema.type ?? 'any'].flat().join(' | ');
  if (type === 'array')
    return (
      <>
        array of <TypeOf schema={schema.items} />
      </>
    );
  return <code>{schema.format ? `${type} (${schema.format})` : type}</code>;
}

/** An object's fields as a table; any other schema in one line. */
function SchemaBlock({ ctx, schema, caption }: { ctx: ViewContext; schema: Schema; caption: string }) {
  const { t } = ctx;
  if (!schema.properties) return <p class="govuk-body">{<TypeOf schema={schema} />}</p>;
  const required = new Set(schema.required ?? []);
  return (
    <Table
      caption={caption}
      captionHidden
      head={[t('apiDocs.field'), t('apiDocs.type'), t('apiDocs.required'), t('apiDocs.description')]}
      rows={Object.entries(schema.properties).map(([name, s]) => [
        <code>{name}</code>,
        <TypeOf schema={s} />,
        required.has(name) ? t('apiDocs.yes') : t('apiDocs.no'),
        <English text={s.description} />,
      ])}
    />
  );
}

function Contents({ ctx, content, caption }: { ctx: ViewContext; content: Content; caption: string }) {
  return (
    <>
      {Object.entries(content).map(([mediaType, { schema }]) => (
        <>
          <p class="govuk-body">
            <code>{mediaType}</code>
          </p>
          {schema ? <SchemaBlock ctx={ctx} schema={schema} caption={`${caption}: ${mediaType}`} /> : null}
        </>
      ))}
    </>
  );
}

function OperationSection({
  ctx,
  method,
  path,
  op,
}: {
  ctx: ViewContext;
  method: string;
  path: string;
  op: Operation;
}) {
  const { t } = ctx;
  const name = `${method.toUpperCase()} ${path}`;
  const secured = (op.security ?? [{}]).some((s) => Object.keys(s).length > 0);
  return (
    <section class="uo-api-operation" aria-labelledby={`op-${op.operationId}`}>
      <h3 class="govuk-heading-s" id={`op-${op.operationId}`}>
        <code>{method.toUpperCase()}</code> <code>{path}</code>
      </h3>
      {op.summary ? (
        <p class="govuk-body" lang="en">
          {op.summary}
        </p>
      ) : null}
      {op.description ? (
        <p class="govuk-body" lang="en">
          {op.description}
        </p>
      ) : null}
      <p class="govuk-body">{secured ? t('apiDocs.auth.bearer') : t('apiDocs.auth.none')}</p>
      {op.parameters && op.parameters.length > 0 ? (
        <Table
          caption={`${t('apiDocs.parameters')}: ${name}`}
          captionHidden
          head={[
            t('apiDocs.parameter'),
            t('apiDocs.in'),
            t('apiDocs.type'),
            t('apiDocs.required'),
            t('apiDocs.description'),
          ]}
          rows={op.parameters.map((p) => [
            <code>{p.name}</code>,
            p.in,
            <TypeOf schema={p.schema} />,
            p.required ? t('apiDocs.yes') : t('apiDocs.no'),
            <English text={p.description} />,
          ])}
        />
      ) : null}
      {op.requestBody?.content ? (
        <>
          <h4 class="govuk-heading-s">{t('apiDocs.requestBody')}</h4>
          <Contents
            ctx={ctx}
            content={op.requestBody.content}
            caption={`${t('apiDocs.requestBody')}: ${name}`}
          />
        </>
      ) : null}
      <Table
        caption={`${t('apiDocs.responses')}: ${name}`}
        captionHidden
        head={[t('apiDocs.status'), t('apiDocs.description'), t('apiDocs.body')]}
        rows={Object.entries(op.responses ?? {}).map(([status, response]) => [
          status,
          <English text={response.description} />,
          response.content
            ? Object.entries(response.content).map(([mediaType, { schema }]) => (
                <span class="uo-api-media">
                  <code>{mediaType}</code> <TypeOf schema={schema} />
                </span>
              ))
            : '—',
        ])}
      />
    </section>
  );
}

/** Operations grouped by their first tag, in the document's order. */
function byTag(
  paths: OpenApiDocument['paths'],
): Map<string, { method: string; path: string; op: Operation }[]> {
  const groups = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, item] of Object.entries(paths))
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? 'other';
      groups.set(tag, [...(groups.get(tag) ?? []), { method, path, op }]);
    }
  return groups;
}

/**
 * The API's reference as a plain page of ours, made from the OpenAPI document: works without
 * JavaScript, under the site's layout and CSP. The operations' texts are in English (the
 * document's language), marked so on the Polish page.
 */
export function ApiDocsPage({ ctx, doc }: { ctx: ViewContext; doc: OpenApiDocument }) {
  const { t } = ctx;
  const groups = byTag(doc.paths);
  const schemas = Object.entries(doc.components?.schemas ?? {});
  const webhooks = Object.entries(doc.webhooks ?? {}).flatMap(([event, item]) =>
    Object.entries(item).map(([method, op]) => ({ event, method, op })),
  );
  return (
    <Layout ctx={ctx} title={t('apiDocs.title')}>
      <Heading>{t('apiDocs.title')}</Heading>
      <p class="govuk-body">{t('apiDocs.lead')}</p>
      <ul class="govuk-list">
        <li>
          {t('apiDocs.document')}{' '}
          <a class="govuk-link" href="/api/openapi.json">
            /api/openapi.json
          </a>
        </li>
        {doc.servers?.[0] ? (
          <li>
            {t('apiDocs.server')} <code>{doc.servers[0].url}</code>
          </li>
        ) : null}
        <li>
          <a class="govuk-link" href="/api/errors">
            {t('apiDocs.errors')}
          </a>
        </li>
      </ul>
      <nav aria-labelledby="api-contents">
        <h2 class="govuk-heading-m" id="api-contents">
          {t('apiDocs.contents')}
        </h2>
        <ul class="govuk-list">
          {[...groups.keys()].map((tag) => (
            <li lang="en">
              <a class="govuk-link" href={`#tag-${tag}`}>
                {tag}
              </a>
            </li>
          ))}
          {webhooks.length > 0 ? (
            <li>
              <a class="govuk-link" href="#webhooks">
                {t('apiDocs.webhooks')}
              </a>
            </li>
          ) : null}
          {schemas.length > 0 ? (
            <li>
              <a class="govuk-link" href="#schemas">
                {t('apiDocs.schemas')}
              </a>
            </li>
          ) : null}
        </ul>
      </nav>
      <div>
        {doc.info.description ? (
          <p class="govuk-body" lang="en">
            {doc.info.description}
          </p>
        ) : null}
        {[...groups.entries()].map(([tag, ops]) => (
          <section aria-labelledby={`tag-${tag}`}>
            <h2 class="govuk-heading-m" id={`tag-${tag}`} lang="en">
              {tag}
            </h2>
            {ops.map(({ method, path, op }) => (
              <OperationSection ctx={ctx} method={method} path={path} op={op} />
            ))}
          </section>
        ))}
      </div>
      {webhooks.length > 0 ? (
        <section aria-labelledby="webhooks">
          <h2 class="govuk-heading-m" id="webhooks">
            {t('apiDocs.webhooks')}
          </h2>
          <div>
            {webhooks.map(({ event, method, op }) => (
              <OperationSection ctx={ctx} method={method} path={event} op={op} />
            ))}
          </div>
        </section>
      ) : null}
      {schemas.length > 0 ? (
        <section aria-labelledby="schemas">
          <h2 class="govuk-heading-m" id="schemas">
            {t('apiDocs.schemas')}
          </h2>
          <div>
            {schemas.map(([name, schema]) => (
              <>
                <h3 class="govuk-heading-s" id={schemaId(name)}>
                  <code>{name}</code>
                </h3>
                {schema.description ? (
                  <p class="govuk-body" lang="en">
                    {schema.description}
                  </p>
                ) : null}
                <SchemaBlock ctx={ctx} schema={schema} caption={name} />
              </>
            ))}
          </div>
        </section>
      ) : null}
    </Layout>
  );
}
