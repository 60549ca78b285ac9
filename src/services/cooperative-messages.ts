import { adminChoice } from '../admin-chat/types.js';
import type { Locale } from '../core/flow.js';
import type { OutboundMessage } from '../core/message.js';
import { GOVERNORATES } from '../data/governorates.js';
import type { Cooperative } from '../generated/sqlite/client.js';
import { isolateLtr } from '../i18n/bidi.js';
import { formatNumber } from '../i18n/format.js';
import type { Translate } from '../i18n/i18n.js';
import { type CooperativeDraft, SECTORS, type Sector } from './cooperative-rules.js';

/** The words of cooperatives' messages, shared by the flows, the notifications and the coordinators' chat. */

/** A governorate's display name in `locale`, or the slug itself if it is unknown. */
export function governorateName(slug: string, locale: Locale): string {
  const governorate = GOVERNORATES.find((g) => g.slug === slug);
  if (!governorate) return slug;
  return locale === 'en' ? governorate.nameEn : governorate.nameAr;
}

/** The sector slugs stored in a cooperative's JSON column, ignoring anything unknown. */
export function sectorsOf(json: unknown): Sector[] {
  return Array.isArray(json) ? SECTORS.filter((s) => json.includes(s)) : [];
}

/** A draft as stored or being collected: any field may still be missing. */
export type CooperativeFields = Partial<CooperativeDraft>;

/** The fields of a cooperative as it is stored, in the shape the flows collect. */
export function fieldsOf(cooperative: Cooperative): CooperativeDraft {
  return {
    name: cooperative.name,
    legalForm: cooperative.legalForm,
    governorate: cooperative.governorate,
    locality: cooperative.locality,
    sectors: sectorsOf(cooperative.sectors),
    membersCount: cooperative.membersCount,
    description: cooperative.description,
    contactPhone: cooperative.contactPhone ?? '',
  };
}

/**
 * One line per field ("• الاسم: …"), in the order the registration asks them; missing fields show
 * "—". Phones appear only when `withPhone` (coordinators and the registrant herself).
 */
export function profileLines(
  t: Translate,
  locale: Locale,
  fields: CooperativeFields,
  options: { withPhone: boolean },
): string[] {
  const none = t('cooperatives:none');
  const line = (field: string, value: string | undefined | null) =>
    t(`cooperatives:fields.${field}.line`, { value: value || none });
  const sectors = fields.sectors?.map((s) => t(`cooperatives:sectors.${s}`));
  return [
    line('name', fields.name),
    line('legalForm', fields.legalForm && t(`cooperatives:legalForms.${fields.legalForm}`)),
    line('governorate', fields.governorate && governorateName(fields.governorate, locale)),
    line('locality', fields.locality),
    line('sectors', sectors?.length ? new Intl.ListFormat(locale).format(sectors) : undefined),
    line(
      'membersCount',
      fields.membersCount === undefined ? undefined : formatNumber(fields.membersCount, locale),
    ),
    line('description', fields.description),
    ...(options.withPhone
      ? [line('contactPhone', fields.contactPhone && isolateLtr(fields.contactPhone))]
      : []),
  ];
}

/** Why a cooperative is posted to the coordinators' chat. */
export type ReviewReason = 'new' | 'edited';

/**
 * The coordinators' post about a cooperative waiting for review: who registered it, every field
 * (with the phone), a warning when the name is already taken in its governorate, approve / reject.
 */
export function reviewPost(
  cooperative: Cooperative,
  context: { reason: ReviewReason; registrant: string | null; duplicateOf: Cooperative | null },
) {
  return (t: Translate, locale: Locale): OutboundMessage => {
    const lines = [
      t(`cooperatives:review.${context.reason}`),
      ...profileLines(t, locale, fieldsOf(cooperative), { withPhone: true }),
      t('cooperatives:review.registrant', { name: context.registrant ?? t('cooperatives:none') }),
    ];
    if (context.duplicateOf) {
      lines.push(
        t('cooperatives:review.duplicate', {
          status: t(`cooperatives:statuses.${context.duplicateOf.status}`),
        }),
      );
    }
    return {
      text: lines.join('\n'),
      choices: [
        adminChoice('cooperative.approve', cooperative.id, t('cooperatives:review.approve')),
        adminChoice('cooperative.reject', cooperative.id, t('cooperatives:review.reject')),
      ],
    };
  };
}

/** A plain message from one locale key, for notifications without buttons. */
export const notice =
  (key: string, options?: Record<string, unknown>) =>
  (t: Translate): OutboundMessage => ({
    text: t(key, {
      ...options,
      ...(options && 'name' in options && !options.name ? { name: t('cooperatives:unnamed') } : {}),
    }),
  });

/** The lead's news that her cooperative was approved, with the join code to share. */
export const approvedNotice = (cooperative: Cooperative) =>
  notice('cooperatives:notify.approved', {
    name: cooperative.name,
    code: isolateLtr(cooperative.joinCode ?? ''),
  });
