const MAX_NAME_BYTES = 255;

// C0/C1 controls, DEL, and bidi controls that can disguise an extension ("fdp.exe" shown as "exe.pdf").
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function stripUnsafeChars(text: string): string {
  return text.replace(UNSAFE_CHARS, '');
}

/**
 * The name to show for a file: NFC, without control or bidi-override characters, without any
 * directory part (either slash), trimmed, at most 255 UTF-8 bytes (the extension is kept when
 * the name has to be shortened). Never used as a storage path. May return '' (nothing left).
 */
export function cleanFileName(raw: string): string {
  const visible = stripUnsafeChars(raw.normalize('NFC'));
  const parts = visible.split(/[/\\]/);
  let name = (parts[parts.length - 1] ?? '').trim();
  if (name === '.' || name === '..') name = '';
  return truncateUtf8(name, MAX_NAME_BYTES);
}

function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name, 'utf8') <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const budget = maxBytes - Buffer.byteLength(extension, 'utf8');
  let stem = '';
  let used = 0;
  // Code points, so a surrogate pair is never split.
  for (const char of name.slice(0, name.length - extension.length)) {
    const bytes = Buffer.byteLength(char, 'utf8');
    if (used + bytes > budget) break;
    stem += char;
    used += bytes;
  }
  return (stem.trimEnd() + extension).normalize('NFC');
}

/** Lower-case extension without the dot, or '' when the name has none. */
export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}
