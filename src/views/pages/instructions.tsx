import { Heading, Paragraphs } from '../components';
import type { MessageKey, ViewContext } from '../context';
import { Layout } from '../layout';

export const INSTRUCTIONS = [
  { slug: 'zakladanie-konta', title: 'instructions.account.title', body: 'instructions.account.body' },
  { slug: 'profil-zaufany', title: 'instructions.profile.title', body: 'instructions.profile.body' },
  { slug: 'podpisywanie', title: 'instructions.signing.title', body: 'instructions.signing.body' },
] as const satisfies readonly { slug: string; title: MessageKey; body: MessageKey }[];

export type Instruction = (typeof INSTRUCTIONS)[number];

export function InstructionsIndexPage({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('instructions.title')}>
      <Heading>{t('instructions.title')}</Heading>
      <p class="govuk-body-l">{t('instructions.lead')}</p>
      <ol class="govuk-list govuk-list--number govuk-list--spaced">
        {INSTRUCTIONS.map((i) => (
          <li>
            <a class="govuk-link" href={`/instrukcje/${i.slug}`}>
              {t(i.title)}
            </a>
          </li>
        ))}
        <li>
          <a class="govuk-link" href="/punkty-potwierdzajace">
            {t('points.title')}
          </a>
        </li>
      </ol>
    </Layout>
  );
}

export function InstructionPage({ ctx, instruction }: { ctx: ViewContext; instruction: Instruction }) {
  const { t } = ctx;
  const index = INSTRUCTIONS.indexOf(instruction);
  const next = INSTRUCTIONS[index + 1];
  return (
    <Layout ctx={ctx} title={t(instruction.title)}>
      <Heading caption={t('instructions.title')}>{t(instruction.title)}</Heading>
      <Paragraphs text={t(instruction.body)} />
      {next ? (
        <p class="govuk-body">
          <a class="govuk-link" href={`/instrukcje/${next.slug}`}>
            {t(next.title)} →
          </a>
        </p>
      ) : (
        <p class="govuk-body">
          <a class="govuk-link" href="/punkty-potwierdzajace">
            {t('points.title')} →
          </a>
        </p>
      )}
    </Layout>
  );
}
