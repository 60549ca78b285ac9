/**
 * The parts of the WhatsApp Cloud API (Graph) this channel uses: what it posts to `/messages`, and the
 * webhook payload it reads. Webhook fields are optional because nothing in them is trusted blindly.
 */

export interface ReplyButton {
  type: 'reply';
  reply: { id: string; title: string };
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export type Interactive =
  | { type: 'button'; body: { text: string }; action: { buttons: ReplyButton[] } }
  | { type: 'list'; body: { text: string }; action: { button: string; sections: { rows: ListRow[] }[] } };

export interface TemplateMessage {
  name: string;
  language: { code: string };
  components: { type: 'body'; parameters: { type: 'text'; text: string }[] }[];
}

/** One message as posted to `/{phone-number-id}/messages`, without the recipient. */
export type GraphMessage =
  | { type: 'text'; text: { body: string; preview_url: false } }
  | { type: 'image'; image: { id: string; caption?: string } }
  | { type: 'interactive'; interactive: Interactive }
  | { type: 'template'; template: TemplateMessage };

/** An error as Graph describes it, in an HTTP answer or in a failed status. */
export interface GraphErrorBody {
  code?: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
}

export interface WebhookMessage {
  from?: string;
  id?: string;
  /** When she sent it, in seconds since the epoch (a string). */
  timestamp?: string;
  type?: string;
  text?: { body?: string };
  interactive?: {
    type?: string;
    button_reply?: { id?: string; title?: string };
    list_reply?: { id?: string; title?: string };
  };
  /** A quick-reply button of a template message. */
  button?: { text?: string; payload?: string };
  image?: { id?: string; mime_type?: string; caption?: string };
  document?: { id?: string; mime_type?: string; caption?: string };
}

export interface WebhookStatus {
  id?: string;
  status?: string;
  timestamp?: string;
  errors?: GraphErrorBody[];
}

export interface WebhookValue {
  metadata?: { phone_number_id?: string };
  contacts?: { wa_id?: string; profile?: { name?: string } }[];
  messages?: WebhookMessage[];
  statuses?: WebhookStatus[];
}

export interface WebhookPayload {
  object?: string;
  entry?: { changes?: { field?: string; value?: WebhookValue }[] }[];
}
