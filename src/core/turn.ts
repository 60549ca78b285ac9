import type { Contact } from '../generated/sqlite/client.js';
import type { Services } from '../services/index.js';
import { matchChoice } from './choices.js';
import { type ConversationState, newStepToken } from './conversation-store.js';
import {
  ACTION_PREFIX,
  ACTION_TOKEN,
  type Flow,
  type Locale,
  type Step,
  type StepContext,
  type StepInput,
  type StepResult,
} from './flow.js';
import type { FlowRegistry } from './flow-registry.js';
import { type GlobalKeyword, isCommand, matchKeyword } from './keywords.js';
import type { Channel, InboundMessage, OutboundMessage } from './message.js';

export type Translator = (locale: Locale, key: string, options?: Record<string, unknown>) => string;

export interface TurnDeps {
  flows: FlowRegistry;
  translate: Translator;
  services: Services;
  conversationTtlMs: number;
  now: Date;
}

export const NAV_PREFIX = 'nav:';

/**
 * One inbound message against one conversation: global keywords first, then expiry and stale
 * buttons, then the current step. Mutates `state`; returns the replies, already localised.
 */
export class Turn {
  /** Set when the conversation itself was removed (the contact erased their data). */
  ended = false;
  private contact: Contact;

  constructor(
    private readonly deps: TurnDeps,
    private readonly msg: InboundMessage,
    contact: Contact,
    readonly contactChannelId: string,
    readonly state: ConversationState,
  ) {
    this.contact = contact;
  }

  async run(): Promise<OutboundMessage[]> {
    const keyword = this.keywordOf(this.msg.content);
    if (keyword) return this.onKeyword(keyword);
    const content = this.msg.content;
    if (content.kind === 'choice' && content.token === ACTION_TOKEN) return this.onAction(content.choiceId);
    if (!this.state.flow || !this.state.step) return this.enter(this.onboarded() ? 'menu' : 'onboarding');
    // A flow or step removed by an upgrade: the menu, not an error on every message.
    const flow = this.deps.flows.has(this.state.flow) ? this.deps.flows.get(this.state.flow) : undefined;
    const step = flow?.steps[this.state.step];
    if (!flow || !step) return this.enterMenu();
    if (this.expired(flow)) return [...this.say('engine:expired'), ...(await this.enterMenu())];
    // Something she cannot send here (a voice note, a refused photo): told why, the step stays as it was.
    if (content.kind === 'unsupported') {
      return [...this.say(`engine:unsupported.${content.reason}`), ...(await this.prompt())];
    }
    if (content.kind === 'choice' && content.token !== undefined && content.token !== this.state.stepToken) {
      return [...this.say('engine:staleButton'), ...(await this.prompt())];
    }
    if (content.kind === 'contact' && this.contact.consentAt) {
      this.contact = await this.deps.services.contacts.setPhone(this.contact.id, content.phone);
    }
    const input = await this.matchInput(step, content);
    if (!input) return [...this.say('engine:unknownChoice'), ...(await this.prompt())];
    const navigation = this.keywordOf(input);
    if (navigation) return this.onKeyword(navigation);
    const result = await step.handle(this.context(), input);
    this.contact = await this.deps.services.contacts.get(this.contact.id);
    return this.apply(result);
  }

  /** Shows the current step again (used after an error rolled the turn back). */
  async prompt(): Promise<OutboundMessage[]> {
    const flow =
      this.state.flow && this.deps.flows.has(this.state.flow)
        ? this.deps.flows.get(this.state.flow)
        : undefined;
    const step = this.state.step ? flow?.steps[this.state.step] : undefined;
    if (!flow || !step) return this.enterMenu();
    const ctx = this.context();
    const messages = await step.prompt(ctx);
    const choices = step.choices ? await step.choices(ctx) : undefined;
    const last = messages.at(-1);
    if (choices && last && !last.choices) messages[messages.length - 1] = { ...last, choices };
    return this.decorate(flow, step, messages);
  }

  private keywordOf(content: InboundMessage['content']): GlobalKeyword | null {
    if (content.kind === 'choice' && content.choiceId.startsWith(NAV_PREFIX)) {
      // Forged data ("nav:anything") is no keyword: it gets the unknown-choice answer.
      const name = content.choiceId.slice(NAV_PREFIX.length);
      return isCommand(name) ? name : null;
    }
    return content.kind === 'text' ? matchKeyword(content.text) : null;
  }

  private onboarded(): boolean {
    return this.contact.consentAt !== null || this.state.version !== null;
  }

  private async onKeyword(keyword: GlobalKeyword): Promise<OutboundMessage[]> {
    const { contacts } = this.deps.services;
    const inFlow = this.state.flow !== null && this.state.flow !== 'menu';
    switch (keyword) {
      case 'start':
        return this.contact.consentAt ? this.enterMenu() : this.enter('onboarding');
      case 'menu':
        return this.enterMenu();
      case 'cancel':
        return inFlow ? [...this.say('engine:cancelled'), ...(await this.enterMenu())] : this.enterMenu();
      case 'back':
        return this.back();
      case 'help':
        return [...this.say('engine:help'), ...(await this.promptOrMenu())];
      case 'language': {
        const locale: Locale = this.locale() === 'ar' ? 'en' : 'ar';
        this.contact = await contacts.setLocale(this.contact.id, locale);
        return [...this.say('engine:languageChanged'), ...(await this.promptOrMenu())];
      }
      case 'stop':
        this.contact = await contacts.setSubscribed(this.contact.id, false, this.deps.now);
        return [...this.say('engine:stopped'), ...(await this.promptOrMenu())];
      case 'subscribe':
        if (!this.contact.consentAt) return this.enter('onboarding', 'consent');
        this.contact = await contacts.setSubscribed(this.contact.id, true, this.deps.now);
        return [...this.say('engine:subscribed'), ...(await this.promptOrMenu())];
    }
  }

  private async back(): Promise<OutboundMessage[]> {
    const previous = this.state.history.pop();
    if (!previous || !this.state.flow || this.state.flow === 'menu') return this.enterMenu();
    this.moveTo(previous);
    return this.prompt();
  }

  /**
   * A notice's button (an invitation's answer): the flow's answer, then her conversation where it was,
   * with what she typed kept. A forged or unknown one gets the unknown-choice answer.
   */
  private async onAction(choiceId: string): Promise<OutboundMessage[]> {
    const [flowId = '', ...rest] = choiceId.startsWith(ACTION_PREFIX)
      ? choiceId.slice(ACTION_PREFIX.length).split(':')
      : [];
    const arg = rest.join(':');
    const flow = this.deps.flows.has(flowId) ? this.deps.flows.get(flowId) : undefined;
    const said = flow?.actions && arg ? await flow.actions({ ...this.context(), data: {} }, arg) : null;
    if (!said) return [...this.say('engine:unknownChoice'), ...(await this.resume())];
    return [...said, ...(await this.resume())];
  }

  /** Her current step again after something that did not answer it; an expired one gives the menu. */
  private async resume(): Promise<OutboundMessage[]> {
    const flow =
      this.state.flow && this.deps.flows.has(this.state.flow)
        ? this.deps.flows.get(this.state.flow)
        : undefined;
    if (flow && this.expired(flow)) return [...this.say('engine:expired'), ...(await this.enterMenu())];
    return this.promptOrMenu();
  }

  private expired(flow: Flow): boolean {
    return !flow.resting && this.state.expiresAt !== null && this.state.expiresAt <= this.deps.now;
  }

  private async promptOrMenu(): Promise<OutboundMessage[]> {
    return this.state.flow ? this.prompt() : this.enter(this.onboarded() ? 'menu' : 'onboarding');
  }

  private async matchInput(step: Step, content: StepInput): Promise<StepInput | null> {
    const choices = step.choices ? await step.choices(this.context()) : undefined;
    if (!choices) return content.kind === 'choice' ? null : content;
    if (content.kind === 'choice') return choices.some((c) => c.id === content.choiceId) ? content : null;
    if (content.kind === 'text') {
      const id = matchChoice(content.text, choices);
      if (id) return { kind: 'choice', choiceId: id };
    }
    return content;
  }

  private async apply(result: StepResult): Promise<OutboundMessage[]> {
    switch (result.kind) {
      case 'retry':
        return [{ text: result.error }, ...(await this.prompt())];
      case 'goto':
        if (this.state.step) this.state.history.push(this.state.step);
        if (result.data) this.state.data = { ...this.state.data, ...result.data };
        this.moveTo(result.step);
        return [...(result.say ?? []), ...(await this.prompt())];
      case 'start':
        return [...(result.say ?? []), ...(await this.enter(result.flow, result.step, result.data))];
      case 'done':
        return [...(result.say ?? []), ...(await this.enterMenu())];
      case 'end':
        this.ended = true;
        return result.say ?? [];
    }
  }

  private enterMenu(): Promise<OutboundMessage[]> {
    return this.enter('menu');
  }

  private async enter(flowId: string, stepId?: string, data: StepContext['data'] = {}) {
    const flow = this.deps.flows.get(flowId);
    this.state.flow = flow.id;
    this.state.data = data;
    this.state.history = [];
    this.moveTo(stepId ?? flow.start);
    return this.prompt();
  }

  private moveTo(step: string): void {
    const flow = this.deps.flows.get(this.state.flow as string);
    this.state.step = step;
    this.state.stepToken = newStepToken();
    this.state.expiresAt = flow.resting
      ? null
      : new Date(this.deps.now.getTime() + this.deps.conversationTtlMs);
  }

  /** Puts the step token on choices and adds back / menu buttons so no step is a dead end. */
  private decorate(flow: Flow, step: Step, messages: OutboundMessage[]): OutboundMessage[] {
    const locale = this.locale();
    const out = messages.map((m) =>
      m.choices?.length ? { ...m, locale, choiceToken: this.state.stepToken } : { ...m, locale },
    );
    const last = out.at(-1);
    if (!last || flow.resting || step.bare) return out;
    const nav = [
      ...(this.state.history.length ? [{ id: `${NAV_PREFIX}back`, label: this.t('engine:nav.back') }] : []),
      { id: `${NAV_PREFIX}menu`, label: this.t('engine:nav.menu') },
    ];
    out[out.length - 1] = {
      ...last,
      choices: [...(last.choices ?? []), ...nav],
      choiceToken: this.state.stepToken,
    };
    return out;
  }

  private context(): StepContext {
    return {
      contact: this.contact,
      channel: this.msg.channel as Channel,
      contactChannelId: this.contactChannelId,
      locale: this.locale(),
      t: (key, options) => this.t(key, options),
      data: this.state.data,
      services: this.deps.services,
      profile: this.msg.profile,
      now: this.deps.now,
    };
  }

  private locale(): Locale {
    return this.contact.locale === 'en' ? 'en' : 'ar';
  }

  /** Localised text in the contact's current language. */
  translate(key: string, options?: Record<string, unknown>): string {
    return this.t(key, options);
  }

  private t(key: string, options?: Record<string, unknown>): string {
    return this.deps.translate(this.locale(), key, options);
  }

  private say(key: string): OutboundMessage[] {
    return [{ text: this.t(key) }];
  }
}
