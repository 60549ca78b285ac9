import type { OutboundMessage } from '../../core/message.js';

const MAX_PER_SESSION = 50;
const MAX_SESSIONS = 10_000;

/**
 * Messages waiting for a web chat page to collect them (the reply to its POST, or its next poll).
 * Bounded, oldest sessions dropped first: a page that never returns must not grow memory forever.
 */
export class WebMailbox {
  private readonly boxes = new Map<string, OutboundMessage[]>();

  put(sessionId: string, messages: OutboundMessage[]): void {
    const box = this.boxes.get(sessionId) ?? [];
    this.boxes.delete(sessionId);
    this.boxes.set(sessionId, [...box, ...messages].slice(-MAX_PER_SESSION));
    if (this.boxes.size > MAX_SESSIONS) {
      const oldest = this.boxes.keys().next().value;
      if (oldest !== undefined) this.boxes.delete(oldest);
    }
  }

  take(sessionId: string): OutboundMessage[] {
    const box = this.boxes.get(sessionId) ?? [];
    this.boxes.delete(sessionId);
    return box;
  }
}
