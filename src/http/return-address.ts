/**
 * The one place that decides where a browser may be sent back to after a form (login,
 * cookie choice, ...). Only a path on this site: browsers drop tabs and newlines from URLs
 * and read a backslash as a slash, so "/\t/evil.example" or "/\\evil.example" would leave
 * the site; control characters would also break the Location header.
 */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return fallback;
  // Control characters (C0, DEL, C1), backslashes and any whitespace are never part of a path we make.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u0020\u007f-\u009f\\\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]/.test(value))
    return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  // An encoded slash, backslash or control character at the start can be decoded again by a proxy.
  // eslint-disable-next-line no-control-regex -- as above
  if (/^\/[\\/\u0000-\u0020]/.test(decoded)) return fallback;
  const base = 'https://return.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
