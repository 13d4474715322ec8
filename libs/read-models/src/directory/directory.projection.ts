import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import {
  PERSON_EVENT_TYPES,
  type PersonEvent,
  UNIT_EVENT_TYPES,
  type UnitEvent,
} from '@duban/domain/directory';
import type { Projection } from '../projection';
import { signerOf } from '../support';

/** One field a directory change set, before → after (null: not set). */
export interface DirectoryFieldChange {
  field: string;
  before: string | boolean | null;
  after: string | boolean | null;
}

const change = (field: string, before: DirectoryFieldChange['before'], after: DirectoryFieldChange['after']): DirectoryFieldChange => ({
  field,
  before,
  after,
});

/**
 * The directory as the API and the guard read it (directory_units_v1, directory_users_v1 behind the views
 * directory_units, directory_users), each person's memberships over time, and the directory's audit trail. Every
 * row carries the stream version it reflects, so a replayed event changes nothing; the log alone rebuilds it.
 */
export class DirectoryProjection implements Projection {
  readonly name = 'directory';
  readonly version = 1;
  readonly tables = ['directory_units_v1', 'directory_users_v1', 'directory_memberships_v1', 'directory_changes_v1'];
  readonly handles: string[] = [...UNIT_EVENT_TYPES, ...PERSON_EVENT_TYPES];

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    const event = { type: e.type, data: e.data } as UnitEvent | PersonEvent;
    const changes = (UNIT_EVENT_TYPES as readonly string[]).includes(e.type)
      ? await this.applyUnit(client, e, event as UnitEvent)
      : await this.applyPerson(client, e, event as PersonEvent);
    if (changes === null) return; // already applied
    const signer = signerOf(e);
    const d = e.data as { at: string; reason: string; unitId?: string; personId?: string };
    const isUnit = 'unitId' in d && !('personId' in d);
    await client.query(
      `INSERT INTO directory_changes_v1 (stream_id, version, position, event_id, event_type, subject_kind, subject_id,
         signer_id, signer_name, signer_unit_id, signer_role, at, reason, changes, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (stream_id, version) DO NOTHING`,
      [
        e.streamId,
        e.version,
        e.position,
        e.eventId,
        e.type,
        isUnit ? 'unit' : 'person',
        isUnit ? d.unitId : d.personId,
        signer?.userId ?? '',
        signer?.name ?? '',
        signer?.unitId ?? '',
        signer?.role ?? '',
        d.at,
        d.reason ?? '',
        JSON.stringify(changes),
        e.metadata?.correlationId ?? null,
      ],
    );
  }

  /** The unit's row after the event, and what changed; null when the row already reflects it. */
  private async applyUnit(client: PoolClient, e: RecordedEvent, event: UnitEvent): Promise<DirectoryFieldChange[] | null> {
    const at = event.data.at;
    if (event.type === 'UnitCreated') {
      const d = event.data;
      const r = await client.query(
        `INSERT INTO directory_units_v1 (unit_id, name, kind, parent_id, division_code, created_at, updated_at, stream_version)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT (unit_id) DO NOTHING`,
        [d.unitId, d.name, d.kind, d.parentId, d.divisionCode, at, e.version],
      );
      if (r.rowCount === 0) return null;
      return [
        change('name', null, d.name),
        change('kind', null, d.kind),
        change('parentId', null, d.parentId),
        change('divisionCode', null, d.divisionCode),
        change('active', null, true),
      ].filter((c) => c.after !== null);
    }
    const set = (sql: string, params: unknown[]) =>
      client.query(
        `UPDATE directory_units_v1 SET ${sql}, updated_at = $2, stream_version = $3 WHERE unit_id = $1 AND stream_version < $3`,
        [event.data.unitId, at, e.version, ...params],
      );
    switch (event.type) {
      case 'UnitRenamed':
        if ((await set('name = $4', [event.data.name])).rowCount === 0) return null;
        return [change('name', event.data.previousName, event.data.name)];
      case 'UnitMoved':
        if ((await set('parent_id = $4', [event.data.parentId])).rowCount === 0) return null;
        return [change('parentId', event.data.previousParentId, event.data.parentId)];
      case 'UnitLeaderAssigned':
        if ((await set('leader_user_id = $4', [event.data.leaderUserId])).rowCount === 0) return null;
        return [change('leaderUserId', event.data.previousLeaderUserId, event.data.leaderUserId)];
      case 'UnitDeactivated':
        if ((await set('active = false', [])).rowCount === 0) return null;
        return [change('active', true, false)];
      default: {
        const unknownEvent: never = event;
        void unknownEvent;
        return null;
      }
    }
  }

  private async applyPerson(client: PoolClient, e: RecordedEvent, event: PersonEvent): Promise<DirectoryFieldChange[] | null> {
    const at = event.data.at;
    const personId = event.data.personId;
    let changes: DirectoryFieldChange[];
    if (event.type === 'PersonRegistered') {
      const d = event.data;
      const r = await client.query(
        `INSERT INTO directory_users_v1 (user_id, name, unit_id, role, title, phone, created_at, updated_at, stream_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) ON CONFLICT (user_id) DO NOTHING`,
        [personId, d.name, d.unitId, d.role, d.title, d.phone, at, e.version],
      );
      if (r.rowCount === 0) return null;
      changes = [
        change('name', null, d.name),
        change('phone', null, d.phone),
        change('title', null, d.title),
        change('unitId', null, d.unitId),
        change('role', null, d.role),
        change('active', null, true),
      ];
    } else {
      const set = (sql: string, params: unknown[]) =>
        client.query(
          `UPDATE directory_users_v1 SET ${sql}, updated_at = $2, stream_version = $3 WHERE user_id = $1 AND stream_version < $3`,
          [personId, at, e.version, ...params],
        );
      switch (event.type) {
        case 'PersonMoved':
          if ((await set('unit_id = $4, title = $5', [event.data.unitId, event.data.title])).rowCount === 0) return null;
          changes = [change('unitId', event.data.previousUnitId, event.data.unitId)];
          if (event.data.previousTitle !== event.data.title) changes.push(change('title', event.data.previousTitle, event.data.title));
          break;
        case 'PersonRoleChanged':
          if ((await set('role = $4', [event.data.role])).rowCount === 0) return null;
          changes = [change('role', event.data.previousRole, event.data.role)];
          break;
        case 'PersonDeactivated':
          if ((await set('active = false', [])).rowCount === 0) return null;
          changes = [change('active', true, false)];
          break;
        case 'PersonReactivated':
          if ((await set('active = true', [])).rowCount === 0) return null;
          changes = [change('active', false, true)];
          break;
        default: {
          const unknownEvent: never = event;
          void unknownEvent;
          return null;
        }
      }
    }
    // The period that ends here is closed, and the one that starts is opened with the person as they now stand.
    await client.query(
      `UPDATE directory_memberships_v1 SET valid_to = $2 WHERE user_id = $1 AND valid_to IS NULL AND stream_version < $3`,
      [personId, at, e.version],
    );
    await client.query(
      `INSERT INTO directory_memberships_v1 (user_id, stream_version, unit_id, role, title, active, valid_from)
       SELECT user_id, $2, unit_id, role, title, active, $3 FROM directory_users_v1 WHERE user_id = $1
       ON CONFLICT (user_id, stream_version) DO NOTHING`,
      [personId, e.version, at],
    );
    return changes;
  }
}
