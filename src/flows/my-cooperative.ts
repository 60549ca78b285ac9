import { type Flow, type StepContext, say } from '../core/flow.js';
import type { Choice } from '../core/message.js';
import { isolateLtr } from '../i18n/bidi.js';
import { fieldsOf, governorateName, profileLines } from '../services/cooperative-messages.js';
import type { MembershipWithCooperative } from '../services/memberships.js';
import { hasCooperative } from './cooperative-access.js';
import { editSteps } from './my-cooperative-edit.js';
import { readYesNo, yesNoChoices } from './yes-no.js';

const membershipOf = (ctx: StepContext) => ctx.services.memberships.current(ctx.contact.id);
const isLead = (m: MembershipWithCooperative) => m.role === 'LEAD' && m.status === 'ACTIVE';

/** Her cooperative as she sees it: its details (the phone only for the lead), status, code, members. */
async function describe(ctx: StepContext, membership: MembershipWithCooperative): Promise<string> {
  const cooperative = membership.cooperative;
  if (membership.status === 'PENDING') {
    const governorate = governorateName(cooperative.governorate, ctx.locale);
    return ctx.t('cooperatives:mine.pendingRequest', { name: cooperative.name, governorate });
  }
  const lead = isLead(membership);
  const members = (await ctx.services.cooperatives.get(cooperative.id))?._count.memberships ?? 0;
  const lines = [
    ctx.t('cooperatives:mine.title'),
    ...profileLines(ctx.t, ctx.locale, fieldsOf(cooperative), { withPhone: lead }),
    ctx.t('cooperatives:mine.status', { status: ctx.t(`cooperatives:statuses.${cooperative.status}`) }),
  ];
  if (cooperative.status === 'REJECTED' && cooperative.rejectionReason) {
    lines.push(ctx.t('cooperatives:mine.rejectionReason', { reason: cooperative.rejectionReason }));
  }
  if (lead && cooperative.status === 'APPROVED' && cooperative.joinCode) {
    lines.push(ctx.t('cooperatives:mine.joinCode', { code: isolateLtr(cooperative.joinCode) }));
  }
  lines.push(ctx.t('cooperatives:mine.members', { count: members }));
  lines.push(ctx.t(lead ? 'cooperatives:mine.lead' : 'cooperatives:mine.member'));
  return lines.join('\n');
}

function profileChoices(ctx: StepContext, membership: MembershipWithCooperative | null): Choice[] {
  const choice = (id: string) => ({ id, label: ctx.t(`cooperatives:mine.${id}`) });
  if (!membership || membership.status === 'DECLINED') return [];
  if (membership.status === 'PENDING') return [choice('withdraw')];
  if (!isLead(membership)) return [choice('leave')];
  const editable = membership.cooperative.status !== 'SUSPENDED';
  return [...(editable ? [choice('edit')] : []), choice('members'), choice('leave')];
}

/** The lead's list of members: names only, never phones. */
async function memberList(ctx: StepContext, membership: MembershipWithCooperative): Promise<string> {
  const names = await ctx.services.cooperatives.memberNames(membership.cooperativeId);
  return [
    ctx.t('cooperatives:mine.memberList', { name: membership.cooperative.name }),
    ...names.map((name) =>
      ctx.t('cooperatives:mine.memberLine', { name: name ?? ctx.t('cooperatives:requests.unnamed') }),
    ),
  ].join('\n');
}

/**
 * "My cooperative": its profile and status; the lead edits its details (a new name or governorate
 * goes back to review) and sees its members; anyone leaves (a lead with members is sent to a
 * coordinator) or withdraws a request still waiting.
 */
export const myCooperativeFlow: Flow = {
  id: 'my-cooperative',
  start: 'profile',
  menu: { labelKey: 'cooperatives:menu.mine', order: 12, visible: hasCooperative },
  steps: {
    profile: {
      async prompt(ctx) {
        const membership = await membershipOf(ctx);
        return say(membership ? await describe(ctx, membership) : ctx.t('cooperatives:mine.none'));
      },
      choices: async (ctx) => profileChoices(ctx, await membershipOf(ctx)),
      async handle(ctx, input) {
        const membership = await membershipOf(ctx);
        if (!membership) return { kind: 'done' };
        if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        switch (input.choiceId) {
          case 'edit':
            return { kind: 'goto', step: 'editField' };
          case 'members':
            return { kind: 'done', say: say(await memberList(ctx, membership)) };
          default:
            return { kind: 'goto', step: 'leave' };
        }
      },
    },
    leave: {
      bare: true,
      async prompt(ctx) {
        const membership = await membershipOf(ctx);
        const key = membership?.status === 'PENDING' ? 'withdrawConfirm' : 'leaveConfirm';
        return say(ctx.t(`cooperatives:mine.${key}`, { name: membership?.cooperative.name ?? '' }));
      },
      choices: (ctx) => yesNoChoices(ctx, 'cooperatives:mine.yes', 'cooperatives:mine.no'),
      async handle(ctx, input) {
        const answer = readYesNo(input);
        if (!answer) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        if (answer === 'no') return { kind: 'done', say: say(ctx.t('cooperatives:mine.stayed')) };
        const result = await ctx.services.memberships.leave(ctx.contact.id, ctx.channel);
        if (!result.ok) {
          const key = result.error === 'lead_with_members' ? 'leadWithMembers' : 'stayed';
          return { kind: 'done', say: say(ctx.t(`cooperatives:mine.${key}`)) };
        }
        const { membership } = result;
        const text =
          membership.status === 'PENDING'
            ? ctx.t('cooperatives:mine.withdrawn')
            : ctx.t('cooperatives:mine.left', { name: membership.cooperative.name });
        return { kind: 'done', say: say(text) };
      },
    },
    ...editSteps,
  },
};
