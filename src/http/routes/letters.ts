import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../../domain/errors';
import { formatSize } from '../../domain/policy';
import { SizeLimitExceeded, limitChunks } from '../../domain/validation/index';
import type { Principal } from '../../domain/roles';
import type { Services } from '../../services/index';
import type { FreshChallengeView } from '../../services/fresh-confirmation';
import { isDraftComplete, type LetterSender } from '../../services/letter-drafts';
import type { ViewContext } from '../../views/context';
import { FreshCodePage } from '../../views/pages/fresh-code';
import { sendReceipt, showReceipt } from '../receipt-download';
import {
  CheckLetterPage,
  LetterFiledPage,
  LetterFormPage,
  LettersPage,
  ReadyDocumentPage,
  SentLetterPage,
} from '../../views/pages/letters';
import { formParts, multipartCsrfProtection, readMultipartToken } from '../multipart-form';
import { csrfTokenValid } from '../forms';
import { translate } from '../../i18n/index';
import { formatTime } from '../../views/dates';
import { RATE_LIMITS } from '../rate-limits';
import { receiveFiling } from '../receive-filing';
import { uploadLimitFor } from '../upload-limits';

const ID = /^[0-9a-f-]{36}$/;

const checkDocumentId = (id: string) => {
  if (!ID.test(id))
    throw new AppError({
      code: 'not_found',
      status: 404,
      key: 'filing.error.documentNotFound',
      params: { id },
    });
};

/**
 * Reads a letter form sent as multipart: text fields and the chosen attachment files (staged).
 * The bytes of all files are counted while they stream and the upload stops at the office's
 * limit (the office chosen in the form — browsers send it before the files — or else the
 * draft's, or else the largest of any office); the exact total with the draft's kept files is
 * checked by the draft service.
 */
async function readLetterForm(request: FastifyRequest, services: Services, draftOfficeId?: string) {
  const raw: Record<string, unknown> = {};
  const remove: number[] = [];
  const newFiles: { name: string; staged: Awaited<ReturnType<Services['stageUpload']>> }[] = [];
  const counter = { total: 0 };
  let limit: number | undefined;
  try {
    for await (const part of formParts(request)) {
      if (part.type === 'file') {
        limit ??= await uploadLimitFor(services, raw.officeId ?? draftOfficeId);
        const staged = await services.stageUpload(limitChunks(part.file, limit, counter));
        if (!part.filename && staged.size === 0)
          await staged.discard(); // the empty file input of a browser
        else newFiles.push({ name: part.filename ?? '', staged });
      } else if (part.fieldname === 'remove') {
        remove.push(Number(part.value));
      } else {
        raw[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    await Promise.all(newFiles.map((f) => f.staged.discard()));
    if (error instanceof SizeLimitExceeded)
      throw new AppError({
        code: 'too_large',
        status: 413,
        key: 'filing.error.rejected',
        fieldErrors: [
          {
            field: 'attachments',
            key: 'filing.error.tooLarge',
            params: { limit: formatSize(error.limit, request.lang) },
          },
        ],
      });
    throw new AppError({ code: 'bad_multipart', status: 400, key: 'filing.error.badMultipart' });
  }
  return { raw, remove, newFiles };
}

function userOf(request: FastifyRequest): Principal {
  if (!request.user)
    throw new AppError({ code: 'unauthenticated', status: 401, key: 'access.unauthenticated' });
  return request.user;
}

/** Who the letter is from: the trusted profile's identity when there is a valid one, else the account. */
async function senderOf(
  services: Services,
  user: Principal,
): Promise<{ sender: LetterSender; canSign: boolean }> {
  const profile = await services.currentProfile(user.accountId);
  if (profile && profile.state === 'valid') {
    return {
      sender: {
        accountId: user.accountId,
        firstName: profile.firstNames,
        surname: profile.surname,
        pesel: profile.pesel,
        email: user.email,
      },
      canSign: true,
    };
  }
  const [firstName, ...rest] = user.displayName.split(' ');
  return {
    sender: {
      accountId: user.accountId,
      firstName: firstName ?? user.displayName,
      surname: rest.join(' '),
      email: user.email,
    },
    canSign: false,
  };
}

export function registerLetterRoutes(app: FastifyInstance, services: Services): void {
  const resident = { config: { access: 'authenticated' as const } };
  const residentForm = { config: { access: 'authenticated' as const }, preHandler: app.csrfProtection };

  /**
   * The letter form sent after its session ended (WCAG 2.2.1): its text is kept as a draft of the
   * account whose session it was — only with a valid CSRF token, never its files — and the new
   * login returns to it (docs/accounts.md, "Session end").
   */
  const keepOnExpiry = async (request: FastifyRequest, reply: FastifyReply, accountId: string) => {
    if (!request.isMultipart()) throw new AppError({ code: 'forbidden', status: 403, key: 'form.csrf' });
    await readMultipartToken(request);
    if (!csrfTokenValid(app, request, reply))
      throw new AppError({ code: 'forbidden', status: 403, key: 'form.csrf' });
    const param = (request.params as { draftId?: string }).draftId;
    const draftId = param && ID.test(param) ? param : undefined;
    const draftOfficeId = draftId ? (await services.getDraft(accountId, draftId)).officeId : undefined;
    const form = await readLetterForm(request, services, draftOfficeId);
    await Promise.all(form.newFiles.map((f) => f.staged.discard()));
    const id = await services.saveDraft({
      accountId,
      draftId,
      raw: form.raw,
      newFiles: [],
      remove: [],
      partial: true,
    });
    return `/pisma/szkic/${id}/edytuj?zachowano=1`;
  };
  // The forms with files: the token is their first multipart field.
  const uploadForm = {
    config: { access: 'authenticated' as const },
    preHandler: multipartCsrfProtection(app),
  };
  const letterForm = { ...uploadForm, config: { ...uploadForm.config, keepOnExpiry } };
  // Starting a signature's confirmation and entering its code are limited like every code entry.
  const codeForm = {
    config: { access: 'authenticated' as const, rateLimit: RATE_LIMITS.codeEntry },
    preHandler: app.csrfProtection,
  };

  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      draftId?: string;
      values?: Record<string, unknown>;
      error?: AppError;
      notice?: 'saved' | 'kept' | undefined;
    },
  ) => {
    const user = userOf(request);
    const offices = await services.listOffices();
    const draft = options.draftId ? await services.getDraft(user.accountId, options.draftId) : undefined;
    const officeId = (options.values?.officeId as string | undefined) ?? draft?.officeId ?? offices[0]?.id;
    const office = await services.getOffice(
      officeId && offices.some((o) => o.id === officeId) ? officeId : offices[0]!.id,
    );
    const { sender } = await senderOf(services, user);
    return reply.page(
      (ctx) =>
        LetterFormPage({
          ctx,
          offices,
          policy: office.policy,
          draft,
          values: options.values as never,
          errors: options.error?.fieldErrors ?? [],
          senderName: `${sender.firstName} ${sender.surname}`,
          notice: options.notice,
        }),
      options.error?.status ?? 200,
    );
  };

  app.get('/pisma', resident, async (request, reply) => {
    const list = await services.listLetters(userOf(request).accountId);
    return reply.page((ctx) => LettersPage({ ctx, list }));
  });

  // `?urzad=` preselects the office (the "file a letter to this office" action of its ESP page).
  app.get('/pisma/nowe', resident, async (request, reply) => {
    const office = (request.query as Record<string, unknown>).urzad;
    return formPage(request, reply, typeof office === 'string' ? { values: { officeId: office } } : {});
  });

  const readyPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string> = {},
    error?: AppError,
  ) => {
    const offices = await services.listOffices();
    const officeId = offices.some((o) => o.id === values.officeId) ? values.officeId! : offices[0]!.id;
    const office = await services.getOffice(officeId);
    return reply.page(
      (ctx) =>
        ReadyDocumentPage({ ctx, offices, policy: office.policy, values, errors: error?.fieldErrors ?? [] }),
      error?.status ?? 200,
    );
  };
  app.get('/pisma/dokument', resident, async (request, reply) => readyPage(request, reply));
  app.post('/pisma/dokument', uploadForm, async (request, reply) => {
    const user = userOf(request);
    if (!request.isMultipart())
      throw new AppError({ code: 'unsupported_media_type', status: 415, key: 'filing.error.notMultipart' });
    // The largest office limit bounds the upload; the office's own limit is checked by the filing.
    const limit = await uploadLimitFor(services);
    let received: Awaited<ReturnType<typeof receiveFiling>> | undefined;
    try {
      received = await receiveFiling(request, services, limit);
      const { sender } = await senderOf(services, user);
      const result = await services.fileReadyDocument({
        accountId: user.accountId,
        senderName: `${sender.firstName} ${sender.surname}`.trim(),
        email: user.email,
        fields: received.fields,
        files: received.files,
        lang: request.lang,
        authentication: await services.sessionAuthentication(request.sessionToken),
      });
      return reply.redirect(`/pisma/${result.documentId}/potwierdzenie`, 303);
    } catch (error) {
      if (error instanceof AppError && error.fieldErrors.length > 0)
        return readyPage(request, reply, received?.fields ?? {}, error);
      throw error;
    }
  });

  const save = async (request: FastifyRequest, reply: FastifyReply, draftId?: string) => {
    const user = userOf(request);
    if (!request.isMultipart())
      throw new AppError({ code: 'unsupported_media_type', status: 415, key: 'filing.error.notMultipart' });
    const draftOfficeId = draftId ? (await services.getDraft(user.accountId, draftId)).officeId : undefined;
    let form: Awaited<ReturnType<typeof readLetterForm>>;
    try {
      form = await readLetterForm(request, services, draftOfficeId);
    } catch (error) {
      if (error instanceof AppError && error.fieldErrors.length > 0)
        return formPage(request, reply, { ...(draftId ? { draftId } : {}), error });
      throw error;
    }
    // "Zapisz szkic" keeps a letter still being written; the autosave (zapis=auto, sent in the
    // background by /assets/draft-autosave.js) keeps its text alone and answers in JSON.
    const mode = form.raw.zapis === 'auto' ? 'auto' : form.raw.zapis === 'szkic' ? 'draft' : 'letter';
    if (mode === 'auto') {
      await Promise.all(form.newFiles.map((f) => f.staged.discard()));
      const id = await services.saveDraft({
        accountId: user.accountId,
        draftId,
        raw: form.raw,
        newFiles: [],
        remove: [],
        partial: true,
      });
      const saved = await services.getDraft(user.accountId, id);
      return reply.header('cache-control', 'no-store').send({
        draftId: id,
        action: `/pisma/szkic/${id}`,
        editPath: `/pisma/szkic/${id}/edytuj`,
        message: translate(request.lang, 'letter.form.draftSaved', {
          time: formatTime(saved.updatedAt, request.lang),
        }),
        secondsLeft: request.sessionTimer?.secondsLeft ?? 0,
      });
    }
    try {
      const id = await services.saveDraft({
        accountId: user.accountId,
        draftId,
        raw: form.raw,
        newFiles: form.newFiles,
        remove: form.remove,
        partial: mode === 'draft',
      });
      return reply.redirect(
        mode === 'draft' ? `/pisma/szkic/${id}/edytuj?zapisano=1` : `/pisma/szkic/${id}`,
        303,
      );
    } catch (error) {
      if (error instanceof AppError && error.fieldErrors.length > 0)
        return formPage(request, reply, { ...(draftId ? { draftId } : {}), values: form.raw, error });
      throw error;
    }
  };
  app.post('/pisma/nowe', letterForm, async (request, reply) => save(request, reply));

  app.get<{ Params: { draftId: string } }>('/pisma/szkic/:draftId', resident, async (request, reply) => {
    if (!ID.test(request.params.draftId))
      throw new AppError({ code: 'not_found', status: 404, key: 'letter.error.draftNotFound' });
    const user = userOf(request);
    const draft = await services.getDraft(user.accountId, request.params.draftId);
    if (draft.documentId) return reply.redirect(`/pisma/${draft.documentId}/potwierdzenie`, 303);
    // A draft saved while still being written is finished on its form first.
    if (!isDraftComplete(draft)) return reply.redirect(`/pisma/szkic/${draft.id}/edytuj`, 303);
    const office = await services.getOffice(draft.officeId);
    const { sender, canSign } = await senderOf(services, user);
    return reply.page((ctx) =>
      CheckLetterPage({
        ctx,
        draft,
        officeName: office.name,
        canSign,
        senderName: `${sender.firstName} ${sender.surname}`,
      }),
    );
  });

  app.get<{ Params: { draftId: string } }>(
    '/pisma/szkic/:draftId/edytuj',
    resident,
    async (request, reply) => {
      if (!ID.test(request.params.draftId))
        throw new AppError({ code: 'not_found', status: 404, key: 'letter.error.draftNotFound' });
      const query = request.query as Record<string, unknown>;
      const notice = query.zachowano === '1' ? 'kept' : query.zapisano === '1' ? 'saved' : undefined;
      return formPage(request, reply, { draftId: request.params.draftId, notice });
    },
  );
  app.post<{ Params: { draftId: string } }>('/pisma/szkic/:draftId', letterForm, async (request, reply) => {
    if (!ID.test(request.params.draftId))
      throw new AppError({ code: 'not_found', status: 404, key: 'letter.error.draftNotFound' });
    return save(request, reply, request.params.draftId);
  });

  const filed = async (request: FastifyRequest, reply: FastifyReply, draftId: string, sign: boolean) => {
    const user = userOf(request);
    const { sender, canSign } = await senderOf(services, user);
    if (sign && !canSign) throw new AppError({ code: 'forbidden', status: 403, key: 'letter.error.profile' });
    try {
      const result = await services.fileLetter({
        draftId,
        sender,
        sign,
        lang: request.lang,
        authentication: await services.sessionAuthentication(request.sessionToken),
      });
      return reply.redirect(`/pisma/${result.documentId}/potwierdzenie`, 303);
    } catch (error) {
      // Sent twice (a double click, a second tab): the resident lands on the one filing there is.
      const draft =
        error instanceof AppError && error.key === 'letter.error.alreadyFiled'
          ? await services.getDraft(user.accountId, draftId)
          : undefined;
      if (draft?.documentId) return reply.redirect(`/pisma/${draft.documentId}/potwierdzenie`, 303);
      throw error;
    }
  };

  app.post<{ Params: { draftId: string } }>(
    '/pisma/szkic/:draftId/wyslij',
    residentForm,
    async (request, reply) => filed(request, reply, request.params.draftId, false),
  );

  const signCodePage =
    (draftId: string, challenge: FreshChallengeView) =>
    (ctx: ViewContext, errors: FieldError[] = []) =>
      FreshCodePage({
        ctx,
        title: 'letter.sign.title',
        submit: 'letter.sign.submit',
        purpose: 'signature',
        action: `/pisma/szkic/${draftId}/podpis/kod`,
        challenge,
        back: `/pisma/szkic/${draftId}`,
        errors,
      });

  app.post<{ Params: { draftId: string } }>(
    '/pisma/szkic/:draftId/podpis',
    codeForm,
    async (request, reply) => {
      const user = userOf(request);
      await services.getDraft(user.accountId, request.params.draftId);
      const { canSign } = await senderOf(services, user);
      if (!canSign) throw new AppError({ code: 'forbidden', status: 403, key: 'letter.error.profile' });
      const challenge = await services.startFreshConfirmation({
        accountId: user.accountId,
        purpose: 'signature',
      });
      // The code page is a GET page: reloading it shows it again and sends no second code.
      return reply.redirect(`/pisma/szkic/${request.params.draftId}/podpis?wyzwanie=${challenge.id}`, 303);
    },
  );

  app.get<{ Params: { draftId: string } }>(
    '/pisma/szkic/:draftId/podpis',
    resident,
    async (request, reply) => {
      if (!ID.test(request.params.draftId))
        throw new AppError({ code: 'not_found', status: 404, key: 'letter.error.draftNotFound' });
      const user = userOf(request);
      const draft = await services.getDraft(user.accountId, request.params.draftId);
      if (draft.documentId) return reply.redirect(`/pisma/${draft.documentId}/potwierdzenie`, 303);
      const challenge = await services.openFreshChallenge({
        accountId: user.accountId,
        challengeId: (request.query as Record<string, unknown>).wyzwanie,
        purpose: 'signature',
      });
      if (!challenge?.open) return reply.redirect(`/pisma/szkic/${draft.id}`, 303);
      return reply.header('cache-control', 'no-store').page(signCodePage(draft.id, challenge));
    },
  );

  app.post<{ Params: { draftId: string } }>(
    '/pisma/szkic/:draftId/podpis/kod',
    codeForm,
    async (request, reply) => {
      const user = userOf(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      try {
        await services.confirmFresh({
          accountId: user.accountId,
          challengeId: body.challengeId,
          code: body.code,
          purpose: 'signature',
        });
      } catch (error) {
        const challenge =
          error instanceof AppError && error.status < 500
            ? await services.openFreshChallenge({
                accountId: user.accountId,
                challengeId: body.challengeId,
                purpose: 'signature',
              })
            : undefined;
        if (error instanceof AppError && challenge) {
          const errors =
            error.fieldErrors.length > 0
              ? error.fieldErrors
              : [{ field: 'code', key: error.key, params: error.params }];
          return reply.page(
            (ctx) => signCodePage(request.params.draftId, challenge)(ctx, errors),
            error.status,
          );
        }
        throw error;
      }
      return filed(request, reply, request.params.draftId, true);
    },
  );

  app.get<{ Params: { documentId: string } }>(
    '/pisma/:documentId/potwierdzenie',
    resident,
    async (request, reply) => {
      checkDocumentId(request.params.documentId);
      const letter = await services.getSentLetter(userOf(request).accountId, request.params.documentId);
      return reply.page((ctx) => LetterFiledPage({ ctx, letter }));
    },
  );

  app.get<{ Params: { documentId: string } }>('/pisma/:documentId', resident, async (request, reply) => {
    checkDocumentId(request.params.documentId);
    const letter = await services.getSentLetter(userOf(request).accountId, request.params.documentId);
    return reply.page((ctx) => SentLetterPage({ ctx, letter }));
  });

  app.get<{ Params: { documentId: string; position: string } }>(
    '/pisma/:documentId/pliki/:position',
    resident,
    async (request, reply) => {
      checkDocumentId(request.params.documentId);
      const position = /^\d{1,4}$/.test(request.params.position) ? Number(request.params.position) : -1;
      const file = await services.sentLetterFile(
        userOf(request).accountId,
        request.params.documentId,
        position,
      );
      // What the resident sent is never rendered in the service's origin: always a download.
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .header('content-length', String(file.size))
        .send(file.stream);
    },
  );

  /** The receipt of a letter the resident filed; another's letter is not found. */
  const letterReceipt = async (request: FastifyRequest<{ Params: { documentId: string } }>) => {
    const reader = { kind: 'account' as const, accountId: userOf(request).accountId, clerkOfOffices: [] };
    const document = await services.getDocument(reader, request.params.documentId);
    return services.getReceipt(reader, document.receiptId);
  };

  app.get<{ Params: { documentId: string; format: string } }>(
    '/pisma/:documentId/upp.:format',
    resident,
    async (request, reply) => {
      const receipt = await letterReceipt(request);
      if (request.params.format !== 'xml' && request.params.format !== 'pdf')
        throw new AppError({ code: 'not_found', status: 404, key: 'error.notFound.title' });
      return sendReceipt(reply, services, receipt, request.params.format);
    },
  );

  app.get<{ Params: { documentId: string } }>('/pisma/:documentId/upp', resident, async (request, reply) => {
    const { documentId } = request.params;
    return showReceipt(reply, services, await letterReceipt(request), {
      base: `/pisma/${documentId}/upp`,
      back: { href: `/pisma/${documentId}`, label: 'receipt.page.backToLetter' },
    });
  });
}
