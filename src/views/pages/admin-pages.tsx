import type { FieldError } from '../../domain/errors';
import type { PollAnswer } from '../../domain/poll';
import { ROLE_NAMES } from '../../domain/roles';
import type { AuditPage, ChainCheck } from '../../services/audit';
import { POINT_LIMITS, type ManagedPoint } from '../../services/confirmation-points';
import { PROFILE_LIMITS, type TrustedProfile } from '../../services/trusted-profiles';
import {
  Button,
  ErrorSummary,
  Form,
  Heading,
  NotificationBanner,
  Radios,
  SummaryList,
  Table,
  Textarea,
  TextField,
} from '../components';
import { profileStatusText } from './trusted-profile-pages';
import type { MessageKey, ViewContext } from '../context';
import { formatDateTime, formatOpeningHours } from '../dates';
import { Layout } from '../layout';

export function AdminHomePage({ ctx, poll }: { ctx: ViewContext; poll: Record<PollAnswer, number> }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.title')}>
      <Heading>{t('admin.title')}</Heading>
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href="/admin/urzedy">
            {t('admin.offices.title')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/admin/punkty">
            {t('nav.points')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/admin/role">
            {t('admin.roles.title')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/admin/profile">
            {t('admin.profiles.title')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/admin/dziennik">
            {t('admin.audit.title')}
          </a>
        </li>
      </ul>
      <Table
        caption={t('admin.poll.caption')}
        head={[t('admin.poll.answer'), t('admin.poll.count')]}
        rows={[
          [t('poll.yes'), String(poll.TAK)],
          [t('poll.no'), String(poll.NIE)],
        ]}
      />
    </Layout>
  );
}

export function AdminPointsPage({
  ctx,
  points,
  notice,
}: {
  ctx: ViewContext;
  points: ManagedPoint[];
  notice?: MessageKey | undefined;
}) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.points.title')}>
      {notice ? (
        <NotificationBanner title={t('notice.title')} success>
          <p class="govuk-notification-banner__heading">{t(notice)}</p>
        </NotificationBanner>
      ) : null}
      <Heading caption={t('admin.title')}>{t('admin.points.title')}</Heading>
      <p class="govuk-body">
        <a class="govuk-link" href="/admin/punkty/nowy">
          {t('admin.points.add')}
        </a>
      </p>
      <Table
        caption={t('admin.points.title')}
        head={[
          t('points.name'),
          t('points.address'),
          t('points.hours'),
          t('admin.points.officers'),
          t('admin.points.status'),
        ]}
        rows={points.map((p) => [
          <a class="govuk-link" href={`/admin/punkty/${p.id}`}>
            {p.name}
          </a>,
          p.address,
          formatOpeningHours(p.openingHours, lang),
          p.officers.map((o) => o.email).join(', ') || '—',
          p.retiredAt
            ? t('admin.points.retired', { date: formatDateTime(p.retiredAt, lang) })
            : t('admin.points.active'),
        ])}
      />
    </Layout>
  );
}

export interface PointValues {
  newId?: string;
  name?: string;
  address?: string;
  openingHours?: string;
  phone?: string;
}

export function AdminPointPage({
  ctx,
  point,
  values,
  errors = [],
}: {
  ctx: ViewContext;
  point: ManagedPoint | undefined;
  values: PointValues;
  errors?: FieldError[];
}) {
  const { t } = ctx;
  const title = point ? point.name : t('admin.points.add');
  return (
    <Layout ctx={ctx} title={title}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading caption={t('admin.points.title')}>{title}</Heading>
      <Form ctx={ctx} action={point ? `/admin/punkty/${point.id}` : '/admin/punkty/nowy'}>
        {point ? null : (
          <TextField
            ctx={ctx}
            name="newId"
            label={t('admin.points.id')}
            hint={t('admin.points.id.hint')}
            value={values.newId}
            errors={errors}
            width={20}
          />
        )}
        <TextField
          ctx={ctx}
          name="name"
          label={t('points.name')}
          value={values.name}
          errors={errors}
          maxLength={POINT_LIMITS.name}
        />
        <TextField
          ctx={ctx}
          name="address"
          label={t('points.address')}
          maxLength={POINT_LIMITS.address}
          value={values.address}
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="openingHours"
          label={t('points.hours')}
          maxLength={POINT_LIMITS.openingHours}
          value={values.openingHours}
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="phone"
          type="tel"
          label={t('points.phone')}
          maxLength={POINT_LIMITS.phone}
          value={values.phone}
          errors={errors}
          width={20}
        />
        <Button>{t('admin.save')}</Button>
      </Form>
      {point ? (
        <>
          <h2 class="govuk-heading-m">{t('admin.points.officers')}</h2>
          {point.officers.length ? (
            <ul class="govuk-list">
              {point.officers.map((o) => (
                <li>
                  {o.displayName} ({o.email}){' '}
                  <Form ctx={ctx} action={`/admin/punkty/${point.id}/urzednicy/${o.roleId}/usun`} inline>
                    <Button secondary>{t('admin.points.removeOfficer', { email: o.email })}</Button>
                  </Form>
                </li>
              ))}
            </ul>
          ) : (
            <p class="govuk-body">{t('admin.points.noOfficers')}</p>
          )}
          <Form ctx={ctx} action={`/admin/punkty/${point.id}/urzednicy`}>
            <TextField
              ctx={ctx}
              name="officerEmail"
              type="email"
              label={t('admin.points.addOfficer')}
              errors={errors}
            />
            <Button secondary>{t('admin.points.addOfficer.submit')}</Button>
          </Form>
          {point.retiredAt ? null : (
            <>
              <h2 class="govuk-heading-m">{t('admin.points.retire.heading')}</h2>
              <p class="govuk-body">{t('admin.points.retire.text')}</p>
              <Form ctx={ctx} action={`/admin/punkty/${point.id}/wycofaj`}>
                <Button secondary>{t('admin.points.retire.submit')}</Button>
              </Form>
            </>
          )}
        </>
      ) : null}
    </Layout>
  );
}

export interface StaffRole {
  id: string;
  email: string;
  role: string;
  officeId: string | null;
  department: string | null;
  pointId: string | null;
  secondFactor: boolean;
}

export function AdminRolesPage({
  ctx,
  roles,
  errors = [],
  values = {},
}: {
  ctx: ViewContext;
  roles: StaffRole[];
  errors?: FieldError[];
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.roles.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading caption={t('admin.title')}>{t('admin.roles.title')}</Heading>
      <Table
        caption={t('admin.roles.current')}
        head={[
          t('field.email'),
          t('admin.roles.role'),
          t('admin.roles.scope'),
          t('roles.secondFactor'),
          t('admin.roles.action'),
        ]}
        rows={roles.map((r) => [
          r.email,
          t(`role.${r.role}` as MessageKey),
          [r.officeId, r.department, r.pointId].filter(Boolean).join(', ') || '—',
          t(r.secondFactor ? 'roles.secondFactor.on' : 'roles.secondFactor.off'),
          <Form ctx={ctx} action={`/admin/role/${r.id}/usun`} inline>
            <Button secondary>{t('admin.roles.revoke')}</Button>
          </Form>,
        ])}
      />
      <h2 class="govuk-heading-m">{t('admin.roles.grant')}</h2>
      <p class="govuk-body">{t('roles.secondFactor.hint')}</p>
      <Form ctx={ctx} action="/admin/role">
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t('field.email')}
          value={values.email}
          errors={errors}
        />
        <Radios
          ctx={ctx}
          name="role"
          legend={t('admin.roles.role')}
          options={ROLE_NAMES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))}
          checked={values.role}
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="officeId"
          label={t('admin.roles.office')}
          hint={t('admin.roles.office.hint')}
          value={values.officeId}
          errors={errors}
          width={20}
        />
        <TextField
          ctx={ctx}
          name="department"
          label={t('admin.roles.department')}
          value={values.department}
          errors={errors}
          width={20}
        />
        <TextField
          ctx={ctx}
          name="pointId"
          label={t('admin.roles.point')}
          value={values.pointId}
          errors={errors}
          width={20}
        />
        <Button>{t('admin.roles.grant.submit')}</Button>
      </Form>
    </Layout>
  );
}

export function AdminAuditPage({
  ctx,
  page,
  check,
  action,
}: {
  ctx: ViewContext;
  page: AuditPage;
  check: ChainCheck;
  action: string;
}) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.audit.title')}>
      <Heading caption={t('admin.title')}>{t('admin.audit.title')}</Heading>
      <p class={`govuk-body${check.ok ? '' : ' govuk-error-message'}`} id="chain-status">
        {check.ok
          ? t('admin.audit.chainOk', { count: check.entries })
          : t('admin.audit.chainBroken', { seq: check.seq })}
      </p>
      <form method="get" action="/admin/dziennik" novalidate role="search">
        <TextField
          ctx={ctx}
          name="action"
          label={t('admin.audit.filter')}
          hint={t('admin.audit.filter.hint')}
          value={action}
          width={20}
        />
        <Button secondary>{t('admin.audit.filter.submit')}</Button>
      </form>
      <Table
        caption={t('admin.audit.title')}
        head={[
          '#',
          t('admin.audit.time'),
          t('admin.audit.actor'),
          t('admin.audit.action'),
          t('admin.audit.subject'),
          t('admin.audit.details'),
        ]}
        rows={page.entries.map((e) => [
          String(e.seq),
          formatDateTime(e.at, lang),
          e.actorEmail ?? e.actorId ?? '—',
          e.action,
          e.subject ?? '—',
          Object.entries(e.details)
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join('; ') || '—',
        ])}
      />
      {page.nextBefore ? (
        <p class="govuk-body">
          <a
            class="govuk-link"
            href={`/admin/dziennik?before=${page.nextBefore}${action ? `&action=${encodeURIComponent(action)}` : ''}`}
          >
            {t('admin.audit.older')}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

export function OfficeStaffPage({
  ctx,
  office,
  roles,
  isAdmin = false,
}: {
  ctx: ViewContext;
  office: { id: string; name: string };
  roles: string[];
  /** The office admin's pages are linked for the office admin only. */
  isAdmin?: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={office.name}>
      <Heading caption={t('office.staff.caption')}>{office.name}</Heading>
      <SummaryList rows={[{ key: t('account.roles'), value: roles.join('; ') }]} />
      <p class="govuk-body">{t('office.staff.text')}</p>
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href={`/urzad/${office.id}/skrzynka`}>
            {t('box.link')}
          </a>
        </li>
        {isAdmin ? (
          <>
            <li>
              <a class="govuk-link" href={`/urzad/${office.id}/ustawienia`}>
                {t('office.settings.title')}
              </a>
            </li>
            <li>
              <a class="govuk-link" href={`/urzad/${office.id}/tokeny`}>
                {t('apiTokens.link')}
              </a>
            </li>
            <li>
              <a class="govuk-link" href={`/urzad/${office.id}/webhooki`}>
                {t('webhooks.title')}
              </a>
            </li>
            <li>
              <a class="govuk-link" href={`/urzad/${office.id}/systemy`}>
                {t('systems.title')}
              </a>
            </li>
            <li>
              <a class="govuk-link" href={`/urzad/${office.id}/pracownicy`}>
                {t('staff.title')}
              </a>
            </li>
          </>
        ) : null}
      </ul>
    </Layout>
  );
}

export function AdminProfilePage({
  ctx,
  query,
  profile,
  errors = [],
  revoked,
}: {
  ctx: ViewContext;
  query: string;
  profile: TrustedProfile | undefined;
  errors?: FieldError[];
  revoked?: boolean;
}) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.profiles.title')}>
      {revoked ? (
        <NotificationBanner title={t('notice.title')} success>
          <p class="govuk-notification-banner__heading">{t('admin.profiles.revoked')}</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading caption={t('admin.title')}>{t('admin.profiles.title')}</Heading>
      <form method="get" action="/admin/profile" novalidate role="search">
        <TextField
          ctx={ctx}
          name="numer"
          label={t('profile.number')}
          hint={t('admin.profiles.hint')}
          value={query}
          width={20}
        />
        <Button secondary>{t('officer.search.submit')}</Button>
      </form>
      {query && !profile ? <p class="govuk-body">{t('profile.error.notFound')}</p> : null}
      {profile ? (
        <>
          <SummaryList
            rows={[
              { key: t('profile.number'), value: profile.id },
              { key: t('profile.state'), value: profileStatusText(ctx, profile, 'staff') },
              { key: t('officer.person'), value: `${profile.firstNames} ${profile.surname}` },
              { key: t('profile.appliedAt'), value: formatDateTime(profile.appliedAt, lang) },
            ]}
          />
          {profile.state === 'valid' ? (
            <Form ctx={ctx} action={`/admin/profile/${profile.id}/uniewaznij`}>
              <Textarea
                ctx={ctx}
                name="reason"
                label={t('admin.profiles.reason')}
                errors={errors}
                maxLength={PROFILE_LIMITS.reason}
              />
              <Button secondary>{t('profile.revoke.submit')}</Button>
            </Form>
          ) : null}
        </>
      ) : null}
    </Layout>
  );
}
