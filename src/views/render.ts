import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** The one way to turn a page component into HTML. */
export function renderPage(page: VNode): string {
  return `<!DOCTYPE html>${renderToString(page)}`;
}
