import { isUtf8 } from 'node:buffer';

/**
 * A file name as shown and sent back: no folders, no control, invisible or reordering characters
 * (the text rule's `line` format; they also spoof extensions: "gpj.exe" written right to left), at
 * most 255 characters. Empty ends up as "file".
 */
/**
 * Browsers send a file name's UTF-8 bytes as they are in `filename="…"`, and the multipart parser
 * reads header bytes as Latin-1: turned back into the UTF-8 text when they form valid UTF-8.
 */
export function repairUtf8(name: string): string {
  if (![...name].some((c) => c.charCodeAt(0) >= 0x80) || [...name].some((c) => c.charCodeAt(0) > 0xff)) return name;
  const bytes = Buffer.from(name, 'latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : name;
}

export function sanitiseFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const clean = base
    // Lone surrogates (never valid text).
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\uFFFD]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const bounded = [...clean].slice(0, 255).join('');
  return bounded === '' || bounded === '.' || bounded === '..' ? 'file' : bounded;
}

/** Content-Disposition with an ASCII fallback and the exact name in RFC 5987 form (filename*=UTF-8''…). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
