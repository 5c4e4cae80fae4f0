/** Test-only helpers (excluded from the build). */

/** A CSP header as a map of directive → sources, whatever the order and spacing. */
export const parseCsp = (header: unknown): Record<string, string[]> =>
  Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name !== undefined && name !== '')
      .map(([name, ...sources]) => [name!, sources]),
  );
