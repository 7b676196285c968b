/**
 * A training provider's completion roster (issue 17, item 7): its API token posts, for a session of
 * one of its courses, the people who attended (by e-mail or external id) with their minutes.
 * Every row is checked first and any problem is reported by row and field with nothing written;
 * the minutes then go through saveMinutes, the same path as the attendance page, so credits,
 * status and the session's completion follow exactly as they do there. A row that repeats what
 * is recorded writes nothing, so posting the same roster again changes nothing.
 */
import { DomainError, type FieldIssue } from '../../../domain/errors.js';
import type { ProviderRosterInput } from '../../../contract/api-tokens.js';
import type { Ctx } from '../../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { netCreditsByRegistration } from '../certification/ledger.js';
import {
  providerRosterAbilities,
  providerRosterDenial,
  requireAccess,
} from '../../../domain/authz/policies.js';
import { assertCanRecord, saveMinutes } from './attendance.service.js';
import { loadSession } from './sessions.repo.js';

export async function recordProviderRoster(ctx: Ctx, sessionId: string, input: ProviderRosterInput) {
  const token = ctx.token;
  if (!token) throw new DomainError('forbidden', 'Rosters are posted with a provider’s API token.');
  return ctx.db.transaction().execute(async (tx) => {
    await tx.selectFrom('session').select('id').where('id', '=', sessionId).forUpdate().execute();
    const s = await loadSession(tx, sessionId);
    if (!s) throw new DomainError('not_found', 'There is no session with this id.');
    const course = await tx
      .selectFrom('course as c')
      .leftJoin('provider as pv', 'pv.id', 'c.provider_id')
      .select(['c.provider_id', 'pv.name as provider_name'])
      .where('c.id', '=', s.course_id)
      .executeTakeFirstOrThrow();
    requireAccess(
      providerRosterAbilities(token, { providerId: course.provider_id }),
      'submit',
      providerRosterDenial,
    );
    assertCanRecord(s, ctx.now());

    const emails = input.rows.flatMap((r) => (r.email ? [r.email] : []));
    const externalIds = input.rows.flatMap((r) => (r.externalId ? [r.externalId] : []));
    const people = await tx
      .selectFrom('person')
      .select(['id', 'email', 'external_id'])
      .where((eb) =>
        eb.or([
          ...(emails.length ? [eb(eb.fn('lower', ['email']), 'in', emails)] : []),
          ...(externalIds.length ? [eb('external_id', 'in', externalIds)] : []),
        ]),
      )
      .execute();
    const byEmail = new Map(people.map((p) => [p.email.toLowerCase(), p.id]));
    const byExternal = new Map(
      people.flatMap((p) => (p.external_id ? [[p.external_id, p.id] as const] : [])),
    );
    const regs = await tx
      .selectFrom('registration')
      .select(['id', 'person_id', 'status', 'minutes_attended'])
      .where('session_id', '=', sessionId)
      .where('status', '<>', 'cancelled')
      .execute();
    const regOf = new Map(regs.map((r) => [r.person_id, r]));

    // Check every row before writing any, and report each problem by row and field.
    const issues: FieldIssue[] = [];
    const rowOfPerson = new Map<string, number>();
    const resolved: { row: number; personId: string; reg: (typeof regs)[number]; minutes: number }[] = [];
    input.rows.forEach((r, i) => {
      const at = `rows.${i}`;
      const row = i + 1;
      const issue = (field: string, message: string) =>
        issues.push({ field: `${at}.${field}`, message: `Row ${row}: ${message}` });
      if (!r.email && !r.externalId) return issue('email', 'give the person’s email or externalId.');
      const viaEmail = r.email ? byEmail.get(r.email) : undefined;
      const viaExternal = r.externalId ? byExternal.get(r.externalId) : undefined;
      if (r.email && !viaEmail && !r.externalId) return issue('email', 'no one has this e-mail address.');
      if (r.externalId && !viaExternal && !r.email)
        return issue('externalId', 'no one has this external id.');
      if (r.email && r.externalId && viaEmail !== viaExternal)
        return issue(
          viaExternal ? 'email' : 'externalId',
          viaEmail && viaExternal
            ? 'the e-mail address and the external id belong to different people.'
            : `no one has this ${viaExternal ? 'e-mail address' : 'external id'}.`,
        );
      const personId = (viaEmail ?? viaExternal)!;
      const field = r.email ? 'email' : 'externalId';
      const earlier = rowOfPerson.get(personId);
      if (earlier) return issue(field, `this person is already on row ${earlier}.`);
      rowOfPerson.set(personId, row);
      const reg = regOf.get(personId);
      if (!reg || reg.status !== 'confirmed')
        return issue(
          field,
          reg
            ? 'this person is on the waiting list, not confirmed.'
            : 'this person is not registered for this session.',
        );
      resolved.push({ row, personId, reg, minutes: r.minutes });
    });
    if (issues.length)
      throw new DomainError(
        'validation',
        `${issues.length} ${issues.length === 1 ? 'row has a problem' : 'rows have problems'}; nothing was recorded. ${issues[0]!.message}`,
        { issues },
      );

    const changed = resolved.filter((r) => r.reg.minutes_attended !== r.minutes);
    if (changed.length) {
      await saveMinutes(
        tx,
        ctx,
        s,
        changed.map((r) => ({ registrationId: r.reg.id, minutes: r.minutes })),
      );
      await recordAudit(tx, ctx, {
        action: 'attendance.provider-roster',
        entityType: 'session',
        entityId: sessionId,
        before: changed.map((r) => ({ registrationId: r.reg.id, minutesAttended: r.reg.minutes_attended })),
        after: changed.map((r) => ({ registrationId: r.reg.id, minutesAttended: r.minutes })),
      });
    }
    const credits = await netCreditsByRegistration(
      tx,
      resolved.map((r) => r.reg.id),
    );
    return {
      sessionId,
      rows: resolved.map((r) => ({
        row: r.row,
        personId: r.personId,
        registrationId: r.reg.id,
        minutes: r.minutes,
        previousMinutes: r.reg.minutes_attended,
        changed: r.reg.minutes_attended !== r.minutes,
        credits: credits.get(r.reg.id) ?? 0,
      })),
      changed: changed.length,
      unchanged: resolved.length - changed.length,
    };
  });
}
