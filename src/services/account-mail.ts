import { translate, type Lang, type MessageKey, type Params } from '../i18n/index';

type MailKey<K> = K extends `mail.${infer Name}.subject` ? Name : never;

/**
 * An account e-mail from the message catalogue, Polish then English in one message (the
 * address may not have chosen a language yet); `params` gives each language its own links.
 */
export function accountMail(
  name: MailKey<MessageKey>,
  params: (lang: Lang) => Params,
): { subject: string; text: string } {
  const part = (lang: Lang, what: 'subject' | 'body') =>
    translate(lang, `mail.${name}.${what}` as MessageKey, params(lang));
  return {
    subject: `Urząd OnLine: ${part('pl', 'subject')} / ${part('en', 'subject')}`,
    text: `${part('pl', 'body')}\n\n${part('en', 'body')}\n`,
  };
}
