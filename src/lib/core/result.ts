/** Errors as values: every failure a user can cause carries a code and a message that says what to do. */
export interface AppError<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
}

export type Result<T, E extends AppError = AppError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E extends AppError>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
