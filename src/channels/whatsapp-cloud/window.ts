import type { Locale } from '../../core/flow.js';
import { clip } from './render.js';
import type { GraphMessage } from './types.js';

/** WhatsApp's customer service window: free-form messages only this long after her last message. */
export const WINDOW_MS = 24 * 3_600_000;
/**
 * The text parameter's length: a template's body may be 1024 characters in all, so this leaves
 * room for the template's own words around `{{1}}`.
 */
export const TEMPLATE_PARAMETER_LIMIT = 900;

/** The approved template that carries a message outside the window (one body parameter: the text). */
export interface WindowTemplate {
  name: string;
  language: string;
}

/** The templates by the recipient's language (config: English falls back to the default one). */
export type WindowTemplates = Partial<Record<Locale, WindowTemplate>>;

/** Whether a free-form message may go to someone who last wrote at `lastInboundAt`. */
export function insideWindow(lastInboundAt: Date | null | undefined, now: Date): boolean {
  return !!lastInboundAt && now.getTime() - lastInboundAt.getTime() < WINDOW_MS;
}

/**
 * A template parameter WhatsApp accepts: no line breaks or tabs and no more than four spaces in a
 * row (error 132018 otherwise), within TEMPLATE_PARAMETER_LIMIT.
 */
export function templateParameter(text: string): string {
  const flat = text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' · ');
  return clip(flat, TEMPLATE_PARAMETER_LIMIT);
}

/** The template message carrying `text` (buttons cannot travel in it: she answers by writing). */
export function templateMessage(template: WindowTemplate, text: string): GraphMessage {
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: [{ type: 'body', parameters: [{ type: 'text', text: templateParameter(text) }] }],
    },
  };
}
