import type { DeliveryView } from '../../services/deliver-letter';
import type { SentLetter } from '../../services/letter-drafts';
import { Button, CsrfField, Heading, NotificationBanner, SummaryList, Table } from '../components';
import type { ViewContext } from '../context';
import { formatDate, formatDateTime } from '../dates';
import { Layout } from '../layout';
import { SentLetters } from './letters';

/**
 * Each proof as a page, as its signed XML (the proof) and as a readable PDF. `letter` names the
 * letter to screen readers where a page lists the proofs of several (unique link names, 2.4.4).
 */
export const proofLinks = (ctx: ViewContext, base: string, proofs: DeliveryView['proofs'], letter?: string) =>
  proofs.map((p) => (
    <li>
      <a class="govuk-link" href={`${base}/dowody/${p.id}`}>
        {ctx.t(`receipt.kind.${p.kind}`)}
        {letter ? <span class="govuk-visually-hidden"> — {letter}</span> : null}
      </a>
      {' · '}
      <a class="govuk-link" href={`${base}/dowody/${p.id}.xml`} download>
        {ctx.t(p.kind === 'sending' ? 'inbox.proof.sending' : 'inbox.proof.receipt')}
        {letter ? <span class="govuk-visually-hidden"> — {letter}</span> : null}
      </a>
      {' · '}
      <a class="govuk-link" href={`${base}/dowody/${p.id}.pdf`} download>
        {ctx.t(p.kind === 'sending' ? 'inbox.proof.sendingPdf' : 'inbox.proof.receiptPdf')}
        {letter ? <span class="govuk-visually-hidden"> — {letter}</span> : null}
      </a>
    </li>
  ));

/**
 * The resident's inbox: letters from offices (only a notice until receipt is confirmed) and the
 * letters the resident filed, with receipts and the office's journal number once registered.
 * Two sections on one page, reached by in-page links, so it works without JavaScript.
 */
export function InboxPage({
  ctx,
  deliveries,
  sent,
  boxAddress,
}: {
  ctx: ViewContext;
  deliveries: DeliveryView[];
  sent: SentLetter[];
  /** The resident's box address in ePUAP's form, which offices' EZD systems send to. */
  boxAddress: string;
}) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('inbox.title')}>
      <Heading>{t('inbox.title')}</Heading>
      <p class="govuk-body">
        {t('inbox.address')} <code>{boxAddress}</code>
      </p>
      <nav aria-label={t('inbox.sections')}>
        <ul class="govuk-list">
          <li>
            <a class="govuk-link" href="#otrzymane">
              {t('inbox.received')} ({deliveries.length})
            </a>
          </li>
          <li>
            <a class="govuk-link" href="#wyslane">
              {t('inbox.sent')} ({sent.length})
            </a>
          </li>
        </ul>
      </nav>
      <h2 class="govuk-heading-m" id="otrzymane">
        {t('inbox.received')}
      </h2>
      {deliveries.length === 0 ? (
        <p class="govuk-body">{t('inbox.empty')}</p>
      ) : (
        <Table
          caption={t('inbox.received')}
          captionHidden
          head={[t('inbox.col.office'), t('inbox.col.sent'), t('inbox.col.letter'), t('inbox.col.status')]}
          rows={deliveries.map((d) => [
            d.officeName,
            formatDateTime(d.sentAt, lang),
            <a class="govuk-link" href={`/skrzynka/${d.id}`}>
              {d.status === 'awaiting' ? t('inbox.awaits') : d.title}
            </a>,
            t(`inbox.status.${d.status}`),
          ])}
        />
      )}
      <h2 class="govuk-heading-m" id="wyslane">
        {t('inbox.sent')}
      </h2>
      <p class="govuk-body">{t('inbox.sentLead')}</p>
      <SentLetters ctx={ctx} sent={sent} id="sent-letters" />
      <p class="govuk-body">
        <a class="govuk-link" href="/pisma">
          {t('inbox.lettersLink')}
        </a>
      </p>
    </Layout>
  );
}

export function DeliveryPage({ ctx, delivery }: { ctx: ViewContext; delivery: DeliveryView }) {
  const { t, lang } = ctx;
  const d = delivery;
  return (
    <Layout ctx={ctx} title={d.status === 'awaiting' ? t('inbox.awaits') : d.title}>
      <Heading caption={d.officeName}>{d.status === 'awaiting' ? t('inbox.awaits') : d.title}</Heading>
      <SummaryList
        rows={[
          { key: t('inbox.col.office'), value: d.officeName },
          { key: t('inbox.col.sent'), value: formatDateTime(d.sentAt, lang) },
          { key: t('inbox.col.status'), value: t(`inbox.status.${d.status}`) },
          ...(d.receivedAt
            ? [{ key: t('inbox.receivedAt'), value: formatDateTime(d.receivedAt, lang) }]
            : []),
          ...(d.deemedAt ? [{ key: t('inbox.deemedAt'), value: formatDateTime(d.deemedAt, lang) }] : []),
        ]}
      />
      {d.status === 'awaiting' ? (
        <>
          <NotificationBanner title={t('inbox.awaits')}>
            <p class="govuk-body">{t('inbox.confirmLead')}</p>
            {d.collection ? (
              <p class="govuk-body" id="collect-until">
                {t('inbox.collectUntil', { date: formatDate(d.collection.until, lang) })}{' '}
                {d.collection.deemed ? t('inbox.deemedWarning') : t('inbox.notDeemed')}
              </p>
            ) : null}
          </NotificationBanner>
          <form method="post" action={`/skrzynka/${d.id}/odbior`} novalidate>
            <CsrfField ctx={ctx} />
            <Button>{t('inbox.confirm')}</Button>
          </form>
        </>
      ) : (
        <>
          <h2 class="govuk-heading-m">{t('inbox.files')}</h2>
          <ul class="govuk-list">
            {(d.files ?? []).map((f) => (
              <li>
                <a class="govuk-link" href={`/skrzynka/${d.id}/pliki/${f.position}`} download>
                  {f.name}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {d.proofs.length > 0 ? (
        <>
          <h2 class="govuk-heading-m">{t('inbox.proofs')}</h2>
          <ul class="govuk-list">{proofLinks(ctx, `/skrzynka/${d.id}`, d.proofs)}</ul>
        </>
      ) : null}
    </Layout>
  );
}
