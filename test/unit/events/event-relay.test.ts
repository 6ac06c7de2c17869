import { describe, expect, it } from 'vitest';
import { EVENT_ENVELOPE_VERSION, type DomainEvent } from '#domain/events/event-envelope';
import { relayOutbox, type OutboxRecord } from '#domain/events/event-relay';
import type { EventSink } from '#domain/events/events.port';

const event = (n: number): DomainEvent => ({
  id: `evt-${n}`,
  type: 'job.submitted',
  time: '2026-12-06T16:00:00.000Z',
  orgId: 'acme',
  subject: `job/${n}`,
  data: { n },
  version: EVENT_ENVELOPE_VERSION,
});
const records = (count: number): OutboxRecord[] =>
  Array.from({ length: count }, (_, n) => ({ recordId: `seq-${String(n).padStart(3, '0')}`, event: event(n) }));

/** A sink that records every call and refuses the ids it is told to, once each. */
function recordingSink(refuseOnce: string[] = [], throwOnCall?: number) {
  const refuse = new Set(refuseOnce);
  const calls: string[][] = [];
  const accepted: string[] = [];
  const sink: EventSink = {
    async deliver(events) {
      calls.push(events.map((e) => e.id));
      if (calls.length === throwOnCall) throw new Error('EventBridge unavailable');
      const refused = events.filter((e) => refuse.delete(e.id)).map((e) => e.id);
      accepted.push(...events.map((e) => e.id).filter((id) => !refused.includes(id)));
      return refused;
    },
  };
  return { sink, calls, accepted };
}

describe('relayOutbox', () => {
  it('puts a batch on the bus in stream order, at most 10 entries per call', async () => {
    const { sink, calls } = recordingSink();
    const outcome = await relayOutbox(records(23), sink);
    expect(outcome).toEqual({ delivered: 23 });
    expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(calls.flat()).toEqual(records(23).map((r) => r.event?.id));
  });

  it('stops at the chunk with a refused entry and names the first refused record (later chunks are not sent)', async () => {
    const { sink, calls } = recordingSink(['evt-13', 'evt-15']);
    const outcome = await relayOutbox(records(25), sink);
    expect(outcome).toEqual({ delivered: 13, failedRecordId: 'seq-013' });
    expect(calls).toHaveLength(2);
  });

  it('counts a sink that throws as a failure of its whole chunk', async () => {
    const { sink } = recordingSink([], 2);
    expect(await relayOutbox(records(15), sink)).toEqual({ delivered: 10, failedRecordId: 'seq-010' });
  });

  it('never relays an unreadable record: those before it go out, it is reported', async () => {
    const batch = records(5);
    batch[3] = { recordId: 'seq-003', event: undefined };
    const { sink, calls } = recordingSink();
    expect(await relayOutbox(batch, sink)).toEqual({ delivered: 3, failedRecordId: 'seq-003' });
    expect(calls).toEqual([['evt-0', 'evt-1', 'evt-2']]);
  });

  it('a retry from the failed record delivers every event; only entries of the failed chunk come twice, with their ids', async () => {
    const all = records(25);
    const { sink, accepted } = recordingSink(['evt-13']);
    const first = await relayOutbox(all, sink);
    const retry = await relayOutbox(all.slice(all.findIndex((r) => r.recordId === first.failedRecordId)), sink);
    expect(retry).toEqual({ delivered: 12 });
    const delivered = accepted;
    expect(new Set(delivered)).toEqual(new Set(all.map((r) => r.event?.id)));
    // evt-14..19 were accepted in the failed chunk, after evt-13, and come again with the retry: same ids, so
    // consumers that dedupe by event id see each once. Nothing before the failed record is sent twice.
    expect(delivered.filter((id, index) => delivered.indexOf(id) !== index)).toEqual([
      'evt-14',
      'evt-15',
      'evt-16',
      'evt-17',
      'evt-18',
      'evt-19',
    ]);
  });
});
