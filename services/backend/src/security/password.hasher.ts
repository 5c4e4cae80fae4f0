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

export interface PasswordHasher {
  /** Returns a PHC string (`$argon2id$v=19$m=…`), salt included. Runs off the event loop. */
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
}

export function createPasswordHasher(options: PasswordHasherOptions = DEFAULT_PASSWORD_HASHING): PasswordHasher {
  const params = { algorithm: ARGON2ID, ...options };
  return {
    hash: (password) => hash(password, params),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password);
      } catch {
        return false;
      }
    },
  };
}
