import type { Language } from '../i18n/i18n.js';

const formats = new Map<string, Intl.NumberFormat>();
const numberIn = (lang: Language, fractionDigits: number): Intl.NumberFormat => {
  const key = `${lang}:${fractionDigits}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.NumberFormat(lang, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })));
  return format;
};

/** A file size as people of `lang` write it: "1.5 MB" in English, "1,5 MB" in German, Spanish and French. */
export function sizeLabel(bytes: number, lang: Language): string {
  if (bytes < 1024) return `${numberIn(lang, 0).format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${numberIn(lang, bytes < 10 * 1024 ? 1 : 0).format(bytes / 1024)} KB`;
  return `${numberIn(lang, 1).format(bytes / (1024 * 1024))} MB`;
}
