import { hash, verify } from '@node-rs/argon2';

// `Algorithm` is an ambient const enum, unusable under verbatimModuleSyntax; 2 is Argon2id.
const ARGON2ID = 2;

export interface PasswordHasherOptions {
  /** KiB. OWASP's argon2id minimum is 19 MiB with t=2, p=1. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const DEFAULT_PASSWORD_HASHING: Readonly<PasswordHasherOptions> = Object.freeze({
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/**
 * The one form in which a password is hashed and checked: Unicode NFC. The same password typed on
 * two devices may arrive composed (`é`, U+00E9) or decomposed (`e` + U+0301), and must still match.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFC');
}

export interface PasswordHasher {
  /** Hashes the NFC form. Returns a PHC string (`$argon2id$v=19$m=…`), salt included. Runs off the event loop. */
  hash(password: string): Promise<string>;
  /** Checks the NFC form (and, for hashes made before normalisation, the raw form). */
  verify(passwordHash: string, password: string): Promise<boolean>;
}

export function createPasswordHasher(options: PasswordHasherOptions = DEFAULT_PASSWORD_HASHING): PasswordHasher {
  const params = { algorithm: ARGON2ID, ...options };
  const matches = async (passwordHash: string, password: string): Promise<boolean> => {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  };
  return {
    hash: (password) => hash(normalizePassword(password), params),
    async verify(passwordHash, password) {
      const normalized = normalizePassword(password);
      if (await matches(passwordHash, normalized)) return true;
      // Hashes stored before passwords were normalised hold the bytes as typed, possibly NFD (macOS
      // keyboards, some IMEs): the raw form is tried too, and only when it differs, so an NFC
      // password (the usual case) still costs one argon2 run. Whether the second run happens
      // depends on the input alone, never on the account, so it reveals nothing about accounts.
      return normalized !== password && (await matches(passwordHash, password));
    },
  };
}
