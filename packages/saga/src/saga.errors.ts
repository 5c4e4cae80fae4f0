/** No saga document with this id (REST: 404). */
export class SagaNotFoundError extends Error {
  override readonly name = 'SagaNotFoundError';
  readonly code = 'SAGA_NOT_FOUND';
  constructor(readonly sagaId: string) {
    super(`saga ${sagaId} not found`);
  }
}

/** Too many writers on one saga at once (lock not obtained in time, or OCC retries exhausted). Retryable. */
export class SagaConflictError extends Error {
  override readonly name = 'SagaConflictError';
  readonly code = 'SAGA_CONFLICT';
  constructor(readonly sagaId: string, detail: string) {
    super(`saga ${sagaId}: ${detail}`);
  }
}

/** The stored document was written by another machine or machine version and no migration exists. */
export class SagaVersionError extends Error {
  override readonly name = 'SagaVersionError';
  readonly code = 'SAGA_VERSION_MISMATCH';
  constructor(readonly sagaId: string, found: string, expected: string) {
    super(`saga ${sagaId} was written by ${found}, this runtime runs ${expected} and has no migration`);
  }
}

/** The definition or the machine broke a rule of the runtime (a bug, not an input problem). */
export class SagaDefinitionError extends Error {
  override readonly name = 'SagaDefinitionError';
  readonly code = 'SAGA_DEFINITION';
}
