/** A refusal the admin can act on; `status` is the HTTP status the API answers with. Never carries secrets. */
export class AdministrationError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 502,
    readonly code: string,
    message: string,
    /** Per-field reasons, e.g. `{ password: 'TimeLog refused the login' }`. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AdministrationError';
  }
}
