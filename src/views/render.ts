import type { VNode } from 'preact';
import { serializeHtml } from './html-serializer';

/** Set by the error summary (components.tsx) when the page shows errors: "Błąd:" / "Error:". */
const TITLE_PREFIX = /<div class="govuk-error-summary"[^>]* data-title-prefix="([^"]*)"/;

/**
 * The one way to turn a page component into HTML. A page with an error summary gets its prefix
 * in the title ("Błąd: Załóż konto — Urząd OnLine"): the title is rendered before the summary,
 * so it is added here, in one place, rather than by every page.
 */
export function renderPage(page: VNode): string {
  // The doctype starts the string the serializer appends to: joined after, the page would be
  // copied once more when Fastify measures and writes it.
  const html = serializeHtml(page, '<!DOCTYPE html>');
  // Most pages show no errors: a plain search is cheaper than the pattern over the whole page.
  const prefix = html.includes('data-title-prefix=') ? TITLE_PREFIX.exec(html)?.[1] : undefined;
  return prefix ? html.replace('<title>', `<title>${prefix} `) : html;
}
