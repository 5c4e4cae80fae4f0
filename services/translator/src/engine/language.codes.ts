/**
 * ISO 639-3 (what Apertium names its modes with) → ISO 639-1 (the contracts' codes) for the
 * languages Apertium has pairs for. A code missing here is left out of the pairs, not guessed.
 */
const THREE_TO_TWO: Readonly<Record<string, string>> = Object.freeze({
  afr: 'af', arg: 'an', ara: 'ar', ast: 'ast', bel: 'be', bul: 'bg', bre: 'br', cat: 'ca', ces: 'cs',
  cym: 'cy', dan: 'da', deu: 'de', ell: 'el', eng: 'en', epo: 'eo', spa: 'es', est: 'et', eus: 'eu',
  fin: 'fi', fra: 'fr', gle: 'ga', glg: 'gl', hin: 'hi', hrv: 'hr', hun: 'hu', isl: 'is', ita: 'it',
  kaz: 'kk', lat: 'la', lit: 'lt', lav: 'lv', mkd: 'mk', mlt: 'mt', nld: 'nl', nno: 'nn', nob: 'nb',
  oci: 'oc', pol: 'pl', por: 'pt', ron: 'ro', rus: 'ru', slk: 'sk', slv: 'sl', srd: 'sc', swe: 'sv',
  tat: 'tt', tur: 'tr', ukr: 'uk', urd: 'ur', zho: 'zh',
});

const TWO_TO_THREE: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(THREE_TO_TWO).map(([three, two]) => [two, three])),
);

/** The contracts' code of an Apertium language; undefined for a variant (`eng_US`) or an unknown code. */
export function fromApertiumCode(code: string): string | undefined {
  if (/^[a-z]{2}$/.test(code)) return code;
  return THREE_TO_TWO[code];
}

/** The Apertium code of a contracts' code (pairs only list codes that map back). */
export function toApertiumCode(code: string): string {
  return TWO_TO_THREE[code] ?? code;
}
