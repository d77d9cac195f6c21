/**
 * The one base of the typed errors the functions throw (auth, mail, media, metrics, sessions).
 *
 * - `code` is a stable string callers switch on: it is API, never renamed.
 * - `message` is a fixed, user-presentable text without user-supplied values (no address, token,
 *   session id or AWS message), so it is safe to log and to show; it is API too.
 * - The underlying error (an SDK error, a parse error) is `cause`, for server-side logs only.
 * - `name` is a string literal in each class, never read from the class: the Lambda bundles are
 *   minified (components/shared/bundle.ts), which renames classes.
 */
export abstract class CodedError<Code extends string = string> extends Error {
  /** Each family and error names itself, so the base has no name of its own. */
  abstract override readonly name: string;
  constructor(
    readonly code: Code,
    message: string,
    options?: CodedErrorOptions,
  ) {
    super(message, options);
  }
}

/** What every coded error may carry besides its code and message. */
export interface CodedErrorOptions {
  /** The error that caused this one (kept for logs; never shown). */
  cause?: unknown;
}

/** The constructor of a family's base class (`AuthError`, `SessionStoreError`, ...). */
export type CodedErrorFamily<E extends CodedError> = new (code: E["code"], message: string, options?: CodedErrorOptions) => E;

/**
 * A subclass of `family` with one code and one fixed message, to extend by name:
 *
 *     export class ThrottledError extends fixedError(AuthError, "ThrottledError", "THROTTLED", "Too many attempts.") {}
 *
 * It takes only `{ cause }`; errors that carry more (a field, a size) are written out as classes.
 */
export function fixedError<E extends CodedError>(family: CodedErrorFamily<E>, name: string, code: NoInfer<E["code"]>, message: string): new (options?: CodedErrorOptions) => E {
  const Family = family as unknown as CodedErrorFamily<CodedError>;
  const Fixed = class extends Family {
    override readonly name: string = name;
    constructor(options?: CodedErrorOptions) {
      super(code, message, options);
    }
  };
  return Fixed as unknown as new (options?: CodedErrorOptions) => E;
}
