import { AppError } from '../domain/errors';
import type { StagedBlob } from '../ports/blob-store';
import { accountOfBoxAddress, deliverLetter, type DeliverResult } from './deliver-letter';
import type { ServiceDeps } from './deps';
import type { IntegrationSystem } from './integration-systems';

/**
 * A letter an EZD sends through ePUAP's `skrytka.nadaj` or `doreczyciel.dorecz`: the same
 * delivery as the clerk's answer or the REST API (proof of sending, notice, 7/14-day timers,
 * proof of receipt), from the system's office, signed as sent by the system. The recipient is
 * a resident's box address, `/{account id}/skrytka`, or `/{PESEL}/skrytka` of a valid trusted
 * profile.
 */
export async function soapDeliver(
  deps: ServiceDeps,
  input: {
    system: IntegrationSystem;
    recipientAddress: string;
    /** A box of the system's office the proof of receipt goes back to. */
    replyBox?: string | undefined;
    file: { name: string; staged: StagedBlob };
    ezdDocumentId?: string | undefined;
    ezdCaseId?: string | undefined;
    dryRun?: boolean | undefined;
  },
): Promise<DeliverResult> {
  const address = input.recipientAddress.trim();
  const accountId = accountOfBoxAddress(address);
  const pesel = /^\/(\d{11})\/skrytka$/.exec(address)?.[1];
  if (!accountId && !pesel) {
    await input.file.staged.discard();
    throw new AppError({
      code: 'unknown_recipient',
      status: 422,
      key: 'soap.error.recipient',
      params: { address },
    });
  }
  const name = input.file.name.trim() || 'dokument.xml';
  return deliverLetter(deps, {
    officeId: input.system.officeId,
    sender: { type: 'token', ref: `system:${input.system.id}`, name: input.system.name },
    ...(accountId ? { recipientAccountId: accountId } : { recipientPesel: pesel }),
    title: name.slice(0, 300),
    files: [{ field: 'document', name, staged: input.file.staged }],
    replyBox: input.replyBox,
    ezdDocumentId: input.ezdDocumentId,
    ezdCaseId: input.ezdCaseId,
    dryRun: input.dryRun,
  });
}
