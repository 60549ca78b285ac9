/** Why the console refused a coordinator's press or reply; each has its own notice in `locales/<ln>/admin.json`. */
export type AdminChatErrorCode = 'notAllowed' | 'alreadyHandled' | 'notFound';

/**
 * What a module's handler throws when the action cannot be done (the target is gone, already decided,
 * or not hers to decide). The console rolls the transaction back and answers with a short notice;
 * `notice` overrides the default words of the code.
 */
export class AdminChatError extends Error {
  readonly notice?: string;

  constructor(
    readonly code: AdminChatErrorCode,
    options: { notice?: string; cause?: unknown } = {},
  ) {
    super(`admin chat: ${code}`, { cause: options.cause });
    this.name = 'AdminChatError';
    if (options.notice !== undefined) this.notice = options.notice;
  }
}
