import type { StepContext } from '../core/flow.js';
import { formatDate } from '../i18n/format.js';

/** "My data": everything stored about the person, readable, in her language. */
export async function describeContactData(ctx: StepContext): Promise<string> {
  const { contact, channels } = await ctx.services.contacts.record(ctx.contact.id);
  const none = ctx.t('myData:none');
  const date = (d: Date | null) => (d ? formatDate(d, ctx.locale) : none);
  const lines = [
    ctx.t('myData:title'),
    ctx.t('myData:name', { value: contact.displayName ?? none }),
    ctx.t('myData:phone', { value: contact.phone ?? none }),
    ctx.t('myData:language', { value: ctx.t(`myData:languages.${contact.locale === 'en' ? 'en' : 'ar'}`) }),
    ctx.t('myData:persona', { value: contact.persona ? ctx.t(`myData:personas.${contact.persona}`) : none }),
    ctx.t('myData:governorate', { value: contact.governorate ?? none }),
    ctx.t('myData:consent', { value: date(contact.consentAt) }),
    ctx.t(contact.subscribed ? 'myData:newsOn' : 'myData:newsOff', { date: date(contact.subscribedAt) }),
    ctx.t('myData:channels', {
      value: new Intl.ListFormat(ctx.locale).format(
        channels.map((c) => ctx.t(`myData:channelNames.${c.channel}`)),
      ),
    }),
    ctx.t('myData:footer'),
  ];
  return lines.join('\n');
}
