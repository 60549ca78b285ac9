import type { Contact } from '../generated/sqlite/client.js';
import type { Services } from '../services/index.js';
import type { Channel, Choice, InboundContent, InboundMessage, OutboundMessage } from './message.js';

/**
 * Buttons on an outbox notice (an invitation) carry this token instead of a step token: a press acts
 * at whatever step her conversation is, so it is never an "old button".
 */
export const ACTION_TOKEN = 'act';
export const ACTION_PREFIX = 'act:';

/** A notice's button that runs `flowId`'s `actions` with `arg`; keep both short (Telegram allows 64 bytes). */
export const actionChoice = (flowId: string, arg: string, label: string): Choice => ({
  id: `${ACTION_PREFIX}${flowId}:${arg}`,
  label,
});

export type Locale = 'ar' | 'en';

/** Collected answers of the current flow; stored as JSON in the conversation until a service commits them. */
export type FlowData = Record<string, unknown>;

/** Everything a step may use: who is talking, where, in which language, and the services. */
export interface StepContext {
  contact: Contact;
  channel: Channel;
  contactChannelId: string;
  locale: Locale;
  t: (key: string, options?: Record<string, unknown>) => string;
  data: FlowData;
  services: Services;
  /** What the channel told about the person; stored only after consent. */
  profile?: InboundMessage['profile'];
  now: Date;
}

/**
 * A step's answer after choice matching: typed text that names a choice arrives as a choice. Photos
 * arrive stored; `unsupported` content is answered by the engine and never reaches a step.
 */
export type StepInput = Exclude<InboundContent, { kind: 'unsupported' }>;

export type StepResult =
  /** Move to another step of the same flow; its prompt follows `say`. */
  | { kind: 'goto'; step: string; say?: OutboundMessage[]; data?: FlowData }
  /** Stay on this step: `error` is shown, then the prompt again; nothing typed before is lost. */
  | { kind: 'retry'; error: string }
  /** Start another flow (its first step unless `step` is given). */
  | { kind: 'start'; flow: string; step?: string; say?: OutboundMessage[]; data?: FlowData }
  /** The flow is over: `say`, then the main menu. */
  | { kind: 'done'; say?: OutboundMessage[] }
  /** The conversation no longer exists (the contact erased their data): `say` and nothing else. */
  | { kind: 'end'; say?: OutboundMessage[] };

/** One question of a flow: what it shows, which choices it offers, and how it reads the answer. */
export interface Step {
  /** The question; the step's `choices` are put on its last message unless that one has its own. */
  prompt(ctx: StepContext): OutboundMessage[] | Promise<OutboundMessage[]>;
  /** The answers offered as buttons; typed text is matched against them (number, label). */
  choices?(ctx: StepContext): Choice[] | Promise<Choice[]>;
  handle(ctx: StepContext, input: StepInput): StepResult | Promise<StepResult>;
  /** Without back/menu buttons (the main menu itself, a yes/no confirmation). Keywords still work. */
  bare?: boolean;
}

/** How a flow appears in the main menu. */
export interface MenuEntry {
  /** Locale key of the menu label (with its emoji). */
  labelKey: string;
  /** Position in the menu: lower first. Built-in entries (news, my data, language, help) are 900+. */
  order: number;
  /** Shown only when true, e.g. only to members of an approved cooperative. Hidden entries never work. */
  visible?: (ctx: StepContext) => boolean | Promise<boolean>;
}

export interface Flow {
  id: string;
  start: string;
  steps: Record<string, Step>;
  /** A flow that is not "waiting" (the main menu) never expires. */
  resting?: boolean;
  /** Present when the main menu offers this flow. */
  menu?: MenuEntry;
  /**
   * A notice's button pressed (see `actionChoice`), whatever step she is at: the answer to say before
   * her current step is shown again, or null when `arg` means nothing (a forged button). `ctx.data`
   * is empty: what she typed in her current flow is not the action's, and stays as it was.
   */
  actions?(ctx: StepContext, arg: string): OutboundMessage[] | null | Promise<OutboundMessage[] | null>;
}

/** Reads a typed string from flow data, or undefined. */
export function dataString(data: FlowData, key: string): string | undefined {
  const v = data[key];
  return typeof v === 'string' ? v : undefined;
}

export const say = (...texts: string[]): OutboundMessage[] => texts.map((text) => ({ text }));
