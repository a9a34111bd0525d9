import type { FieldError } from '../../domain/errors';
import type { FreshChallengeView, FreshPurpose } from '../../services/fresh-confirmation';
import { Button, ErrorSummary, Form, Heading, TextField } from '../components';
import type { MessageKey, ViewContext } from '../context';
import { Layout } from '../layout';

/**
 * Asks for the one-time code of a fresh confirmation; used for every purpose that needs one.
 * A GET page (reloading it sends no new code) that says where the code went, what it is for
 * and its form and lifetime.
 */
export function FreshCodePage({
  ctx,
  title,
  submit = 'fresh.submit',
  purpose,
  action,
  challenge,
  back,
  errors = [],
}: {
  ctx: ViewContext;
  title: MessageKey;
  /** The button names the action the code confirms. */
  submit?: MessageKey;
  purpose: FreshPurpose;
  action: string;
  challenge: Pick<FreshChallengeView, 'id' | 'method' | 'sentTo'>;
  /** Where "cancel" leads: the page the confirmation was started from. */
  back: string;
  errors?: FieldError[];
}) {
  const { t } = ctx;
  const what = t(`fresh.purpose.${purpose}`);
  return (
    <Layout ctx={ctx} title={t(title)}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading caption={t('fresh.caption')}>{t(title)}</Heading>
      <p class="govuk-body" id="code-sent-to">
        {challenge.method === 'email'
          ? t('fresh.email.text', { email: challenge.sentTo, purpose: what })
          : t('fresh.totp.text', { purpose: what })}
      </p>
      <p class="govuk-body">{t(challenge.method === 'email' ? 'fresh.email.rules' : 'fresh.totp.rules')}</p>
      <Form ctx={ctx} action={action}>
        <input type="hidden" name="challengeId" value={challenge.id} />
        <TextField
          ctx={ctx}
          name="code"
          label={t('field.code')}
          hint={t('fresh.hint')}
          autocomplete="one-time-code"
          inputmode="numeric"
          errors={errors}
          width={10}
        />
        <Button>{t(submit)}</Button>
      </Form>
      <p class="govuk-body">
        <a class="govuk-link" href={back}>
          {t('fresh.cancel')}
        </a>
      </p>
    </Layout>
  );
}
