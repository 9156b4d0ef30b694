/**
 * The behaviour every Store backend must have (src/storage/store.ts), tested only through the public
 * interface. tests/storage/store-contract.test.ts runs it against each backend.
 *
 * A backend is opened once per run and may be a shared database: every test makes its own ids and
 * looks only at its own records, never assuming the store is empty.
 */
import { randomUUID } from 'node:crypto';
import {
  dialogStatePrefix,
  DuplicateEmailError,
  OPEN_ESCALATION_STATUSES,
  OpenEscalationExistsError,
  type Conversation,
  type NewAdvisor,
  type NewEscalation,
  type NewMessage,
  type Store,
} from '../../src/storage/store';

export interface OpenedStore {
  store: Store;
  cleanup: () => Promise<void>;
}

const uid = () => randomUUID();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Timestamps have millisecond precision: this gap separates "older" from "newer" records for certain. */
const TICK_MS = 20;

const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** A cutoff strictly between two timestamps read back from the store. */
function midpoint(earlier: string, later: string): string {
  const a = Date.parse(earlier);
  const b = Date.parse(later);
  if (b - a < 2) throw new Error(`no room for a cutoff between ${earlier} and ${later}`);
  return new Date(Math.floor((a + b) / 2)).toISOString();
}

function expectIsoTimestamp(value: string | undefined): void {
  expect(typeof value).toBe('string');
  expect(new Date(value as string).toISOString()).toBe(value);
}

const dialogKey = (conversationId: string, name = 'dialogState') => `${dialogStatePrefix('zemigra', conversationId)}${name}`;

function createConversation(store: Store, over: Partial<Pick<Conversation, 'language' | 'languageChosen'>> = {}): Promise<Conversation> {
  return store.conversations.create({ id: `conv-${uid()}`, tokenHash: `hash-${uid()}`, language: 'de', languageChosen: false, ...over });
}

const message = (text: string, over: Partial<NewMessage> = {}): NewMessage => ({ role: 'user', text, language: 'de', ...over });

/** Also used by the embedded store's own tests. */
export const newEscalation = (conversationId: string, over: Partial<NewEscalation> = {}): NewEscalation => ({
  conversationId,
  reason: 'requested',
  priority: 'normal',
  language: 'de',
  intents: ['recognition.need'],
  entities: [{ type: 'profession', value: 'nurse' }],
  ...over,
});

const callback = (value = '+49 391 555 0101'): Partial<NewEscalation> => ({ status: 'callback', callbackContact: { kind: 'phone', value } });

/** Mixed-case and unique, so the lower-casing is exercised and a shared database never clashes. */
const newAdvisor = (over: Partial<NewAdvisor> = {}): NewAdvisor => ({
  email: `Anna.Berg.${uid()}@Example.DE`,
  name: 'Anna Berg',
  role: 'advisor',
  passwordHash: 'scrypt$16384$8$1$salt$hash',
  ...over,
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const idsOf = (records: Array<{ id: string }>) => records.map((r) => r.id);
const onlyIds = (records: Array<{ id: string }>, mine: string[]) => idsOf(records).filter((id) => mine.includes(id));

/** A client-sent JSON object where the interface expects a string: what a careless route would pass on. */
const injected = <T = string>(value: object): T => value as unknown as T;

/** The probe must find nothing: resolve to `nothing`, or reject. Anything else reached stored records. */
async function expectNothingFound(probe: Promise<unknown>, nothing: unknown): Promise<void> {
  const outcome = await probe.then(
    (value) => ({ value }),
    () => undefined,
  );
  if (outcome) expect(outcome.value).toEqual(nothing);
}

export function describeStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`Store contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    let store: Store;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });

    afterAll(async () => {
      await opened?.cleanup();
    });

    describe('conversations', () => {
      it('creates a conversation with an empty cursor and reads it back; an unknown id is null', async () => {
        const id = `conv-${uid()}`;
        const created = await store.conversations.create({ id, tokenHash: 'token-hash', language: 'de', languageChosen: true });
        // Absent and null both mean "not waiting for a callback contact".
        const normalised = (c: Conversation | null) => c && { ...c, awaitingCallbackContact: c.awaitingCallbackContact ?? null };
        expect(normalised(created)).toEqual({
          id,
          tokenHash: 'token-hash',
          language: 'de',
          languageChosen: true,
          lastSeq: 0,
          awaitingCallbackContact: null,
          createdAt: created.createdAt,
          updatedAt: created.createdAt,
        });
        expectIsoTimestamp(created.createdAt);
        expect(normalised(await store.conversations.get(id))).toEqual(normalised(created));
        expect(await store.conversations.get(`conv-${uid()}`)).toBeNull();
      });

      it('updates the language and the awaited callback contact, keeping everything else', async () => {
        const conversation = await createConversation(store, { language: null });
        await sleep(TICK_MS);
        const pending = { escalationId: uid(), attempts: 0 };
        const updated = await store.conversations.update(conversation.id, { language: 'ar', languageChosen: true, awaitingCallbackContact: pending });
        expect(updated).toMatchObject({ id: conversation.id, tokenHash: conversation.tokenHash, language: 'ar', languageChosen: true, lastSeq: 0, awaitingCallbackContact: pending, createdAt: conversation.createdAt });
        expect(updated!.updatedAt > conversation.updatedAt).toBe(true);
        expect(await store.conversations.get(conversation.id)).toMatchObject({ language: 'ar', languageChosen: true, awaitingCallbackContact: pending });

        await store.conversations.update(conversation.id, { awaitingCallbackContact: { ...pending, attempts: 1 } });
        expect((await store.conversations.get(conversation.id))?.awaitingCallbackContact).toEqual({ ...pending, attempts: 1 });

        const cleared = await store.conversations.update(conversation.id, { awaitingCallbackContact: null });
        expect(cleared?.awaitingCallbackContact ?? null).toBeNull();
        const read = await store.conversations.get(conversation.id);
        expect(read?.awaitingCallbackContact ?? null).toBeNull();
        expect(read).toMatchObject({ language: 'ar', languageChosen: true });

        expect(await store.conversations.update(`conv-${uid()}`, { language: 'en' })).toBeNull();
      });

      it('numbers messages 1, 2, 3, keeps every field and moves the conversation forward', async () => {
        const conversation = await createConversation(store);
        const stored = [
          await store.conversations.appendMessage(conversation.id, message('Wird mein Abschluss anerkannt?', { intent: 'recognition.need' })),
          await store.conversations.appendMessage(
            conversation.id,
            message('Das hängt vom Beruf ab.', {
              role: 'bot',
              quickReplies: [{ title: 'Pflege', payload: 'profession:nurse' }],
              sources: [{ title: 'Anerkennung in Deutschland', url: 'https://www.anerkennung-in-deutschland.de/' }],
            }),
          ),
          await store.conversations.appendMessage(conversation.id, message('Dazu weiß ich nichts.', { role: 'bot', unanswered: true })),
        ];
        expect(stored[0]).toEqual({ conversationId: conversation.id, seq: 1, role: 'user', text: 'Wird mein Abschluss anerkannt?', language: 'de', intent: 'recognition.need', createdAt: stored[0].createdAt });
        expectIsoTimestamp(stored[0].createdAt);
        expect(stored.map((m) => m.seq)).toEqual([1, 2, 3]);
        expect(await store.conversations.listMessages(conversation.id, 0, 10)).toEqual(stored);

        const after = await store.conversations.get(conversation.id);
        expect(after?.lastSeq).toBe(3);
        // "Last updated" drives scan and retention: a message counts as activity.
        expect(after!.updatedAt >= stored[2].createdAt).toBe(true);
      });

      it('gives concurrent appends distinct, consecutive sequence numbers', async () => {
        const conversation = await createConversation(store);
        const stored = await Promise.all(Array.from({ length: 20 }, (_, i) => store.conversations.appendMessage(conversation.id, message(`Nachricht ${i}`))));
        const expected = Array.from({ length: 20 }, (_, i) => i + 1);
        expect(stored.map((m) => m.seq).sort((a, b) => a - b)).toEqual(expected);
        expect((await store.conversations.listMessages(conversation.id, 0, 100)).map((m) => m.seq)).toEqual(expected);
        expect((await store.conversations.get(conversation.id))?.lastSeq).toBe(20);
      });

      it('pages through messages with listMessages(after, limit), oldest first', async () => {
        const conversation = await createConversation(store);
        for (const text of ['eins', 'zwei', 'drei', 'vier', 'fünf']) await store.conversations.appendMessage(conversation.id, message(text));
        const page = async (after: number, limit: number) => (await store.conversations.listMessages(conversation.id, after, limit)).map((m) => [m.seq, m.text]);
        expect(await page(0, 2)).toEqual([[1, 'eins'], [2, 'zwei']]);
        expect(await page(2, 2)).toEqual([[3, 'drei'], [4, 'vier']]);
        expect(await page(4, 2)).toEqual([[5, 'fünf']]);
        expect(await page(5, 2)).toEqual([]);
        expect(await page(1, 100)).toHaveLength(4);
        expect(await store.conversations.listMessages(`conv-${uid()}`, 0, 10)).toEqual([]);
      });

      it('refuses a message for an unknown conversation', async () => {
        await expect(store.conversations.appendMessage(`conv-${uid()}`, message('Hallo'))).rejects.toThrow();
      });

      it('keeps the message cursor when the conversation is updated', async () => {
        const conversation = await createConversation(store);
        await store.conversations.appendMessage(conversation.id, message('eins'));
        await store.conversations.appendMessage(conversation.id, message('zwei'));
        expect(await store.conversations.update(conversation.id, { language: 'en', awaitingCallbackContact: null })).toMatchObject({ lastSeq: 2 });
        expect((await store.conversations.appendMessage(conversation.id, message('drei'))).seq).toBe(3);
      });

      it('hands out copies: changing a returned or passed-in record changes nothing stored', async () => {
        const conversation = await createConversation(store);
        const pending = { escalationId: uid(), attempts: 0 };
        await store.conversations.update(conversation.id, { awaitingCallbackContact: pending });
        pending.attempts = 7;
        const read = (await store.conversations.get(conversation.id))!;
        read.language = 'en';
        read.awaitingCallbackContact!.attempts = 9;

        const input = message('Hallo', { role: 'bot', quickReplies: [{ title: 'Ja', payload: 'yes' }] });
        const appended = await store.conversations.appendMessage(conversation.id, input);
        input.quickReplies![0].title = 'changed';
        appended.text = 'changed';
        (await store.conversations.listMessages(conversation.id, 0, 1))[0].quickReplies!.push({ title: 'x', payload: 'x' });

        expect(await store.conversations.get(conversation.id)).toMatchObject({ language: 'de', awaitingCallbackContact: { escalationId: pending.escalationId, attempts: 0 } });
        expect(await store.conversations.listMessages(conversation.id, 0, 1)).toEqual([expect.objectContaining({ text: 'Hallo', quickReplies: [{ title: 'Ja', payload: 'yes' }] })]);
      });

      it('erases a conversation with its messages, dialog state and escalations, and nothing of another', async () => {
        const conversation = await createConversation(store);
        const other = await createConversation(store);
        await store.conversations.appendMessage(conversation.id, message('meine Duldung läuft ab'));
        await store.conversations.appendMessage(other.id, message('Hallo'));
        const keys = [dialogKey(conversation.id), dialogKey(conversation.id, 'user')];
        await store.dialogState.write({ [keys[0]]: { step: 1 }, [keys[1]]: { name: 'x' }, [dialogKey(other.id)]: { step: 2 } });
        const returned = await store.escalations.create(newEscalation(conversation.id));
        await store.escalations.transition(returned.id, ['queued'], { status: 'returned' });
        const open = await store.escalations.create(newEscalation(conversation.id, callback()));
        const othersEscalation = await store.escalations.create(newEscalation(other.id));

        expect(await store.conversations.erase(conversation.id)).toBe(true);

        expect(await store.conversations.get(conversation.id)).toBeNull();
        expect(await store.conversations.listMessages(conversation.id, 0, 10)).toEqual([]);
        expect(await store.dialogState.read(keys)).toEqual({});
        expect(await store.escalations.get(returned.id)).toBeNull();
        expect(await store.escalations.get(open.id)).toBeNull();
        expect(await store.escalations.findOpenByConversation(conversation.id)).toBeNull();
        expect(await store.escalations.listByConversation(conversation.id)).toEqual([]);

        expect(await store.conversations.get(other.id)).not.toBeNull();
        expect(await store.conversations.listMessages(other.id, 0, 10)).toHaveLength(1);
        expect(await store.dialogState.read([dialogKey(other.id)])).toEqual({ [dialogKey(other.id)]: { step: 2 } });
        expect(await store.escalations.get(othersEscalation.id)).not.toBeNull();

        expect(await store.conversations.erase(conversation.id)).toBe(false);
      });

      it('returns false when erasing an unknown conversation', async () => {
        expect(await store.conversations.erase(`conv-${uid()}`)).toBe(false);
      });

      it('scans conversations alive in [from, to], both ends inclusive, with all their messages', async () => {
        const conversation = await createConversation(store);
        const quiet = await createConversation(store);
        await sleep(TICK_MS);
        const first = await store.conversations.appendMessage(conversation.id, message('Frage'));
        await sleep(TICK_MS);
        const second = await store.conversations.appendMessage(conversation.id, message('Antwort', { role: 'bot' }));
        const { createdAt, updatedAt } = (await store.conversations.get(conversation.id))!;
        const scanned = async (from: string, to: string) => (await collect(store.conversations.scan(from, to))).filter((a) => a.conversation.id === conversation.id);

        // Messages are not cut to the period: the question before an answer at the period's start is there too.
        const atLastUpdate = await scanned(updatedAt, updatedAt);
        expect(atLastUpdate).toHaveLength(1);
        expect(atLastUpdate[0].conversation).toMatchObject({ id: conversation.id, lastSeq: 2, createdAt, updatedAt });
        expect(atLastUpdate[0].messages).toEqual([first, second]);

        expect(await scanned(createdAt, createdAt)).toHaveLength(1);
        expect(await scanned(plusMs(updatedAt, 1), plusMs(updatedAt, 60_000))).toEqual([]);
        expect(await scanned(plusMs(createdAt, -60_000), plusMs(createdAt, -1))).toEqual([]);

        const withoutMessages = (await collect(store.conversations.scan(quiet.createdAt, quiet.createdAt))).find((a) => a.conversation.id === quiet.id);
        expect(withoutMessages?.messages).toEqual([]);
      });
    });

    describe('dialog state', () => {
      it('reads what was written, omits missing keys, overwrites and deletes', async () => {
        const conversationId = `conv-${uid()}`;
        const [state, user, missing] = [dialogKey(conversationId), dialogKey(conversationId, 'user'), dialogKey(conversationId, 'missing')];
        await store.dialogState.write({ [state]: { step: 1 }, [user]: 'text value' });
        expect(await store.dialogState.read([state, user, missing])).toEqual({ [state]: { step: 1 }, [user]: 'text value' });

        await store.dialogState.write({ [state]: { step: 2 } });
        expect(await store.dialogState.read([state])).toEqual({ [state]: { step: 2 } });

        await store.dialogState.delete([state, missing]);
        expect(await store.dialogState.read([state, user])).toEqual({ [user]: 'text value' });
        expect(await store.dialogState.read([])).toEqual({});
      });

      it('stores values as deep copies, both ways', async () => {
        const key = dialogKey(`conv-${uid()}`);
        const value = { step: 1, nested: { list: [1] } };
        await store.dialogState.write({ [key]: value });
        value.nested.list.push(2);
        const read = (await store.dialogState.read([key]))[key] as typeof value;
        read.nested.list.push(3);
        expect(await store.dialogState.read([key])).toEqual({ [key]: { step: 1, nested: { list: [1] } } });
      });

      it('keeps values whose keys MongoDB refuses as field names ($-prefixed, dotted)', async () => {
        const key = dialogKey(`conv-${uid()}`);
        // Botkit state is free-form: dialog ids with dots, keys starting with "$".
        const value = { 'dialog.stack': [{ id: 'handoff.offer', state: { $options: { 'a.b': 1 } } }], $eTag: '*', empty: {}, list: [1, 'two', null, false] };
        await store.dialogState.write({ [key]: value });
        expect(await store.dialogState.read([key])).toEqual({ [key]: value });
      });
    });

    describe('advisors', () => {
      it('creates an advisor with a lower-cased email, enabled, found by id and by email in any case', async () => {
        const input = newAdvisor();
        const created = await store.advisors.create(input);
        const email = input.email.toLowerCase();
        expect(created).toEqual({ id: expect.any(String), email, name: input.name, role: 'advisor', passwordHash: input.passwordHash, disabled: false, createdAt: expect.any(String) });
        expectIsoTimestamp(created.createdAt);
        expect(await store.advisors.get(created.id)).toEqual(created);
        expect(await store.advisors.getByEmail(email.toUpperCase())).toEqual(created);
        expect(await store.advisors.getByEmail(input.email)).toEqual(created);
        expect(await store.advisors.get(uid())).toBeNull();
        expect(await store.advisors.getByEmail(`nobody.${uid()}@example.de`)).toBeNull();
      });

      it('refuses a second account for the same email in any letter case', async () => {
        const input = newAdvisor();
        const first = await store.advisors.create(input);
        for (const email of [input.email, input.email.toLowerCase(), input.email.toUpperCase()]) {
          await expect(store.advisors.create(newAdvisor({ email, name: 'Other', role: 'admin' }))).rejects.toBeInstanceOf(DuplicateEmailError);
        }
        expect(onlyIds(await store.advisors.list(), [first.id])).toEqual([first.id]);
        expect(await store.advisors.getByEmail(input.email)).toMatchObject({ id: first.id, name: first.name, role: 'advisor' });
      });

      it('lets exactly one of concurrent creates for one email succeed', async () => {
        const email = newAdvisor().email;
        const variants = [email, email.toLowerCase(), email.toUpperCase(), email, email.toLowerCase(), email.toUpperCase()];
        const results = await Promise.allSettled(variants.map((e) => store.advisors.create(newAdvisor({ email: e }))));
        const created = results.filter((r) => r.status === 'fulfilled');
        expect(created).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DuplicateEmailError);
        const winner = (created[0] as PromiseFulfilledResult<{ id: string }>).value;
        expect((await store.advisors.getByEmail(email))?.id).toBe(winner.id);
      });

      it('lists advisors oldest first', async () => {
        const made: string[] = [];
        for (const name of ['first', 'second', 'third']) {
          made.push((await store.advisors.create(newAdvisor({ name }))).id);
          await sleep(2);
        }
        expect(onlyIds(await store.advisors.list(), made)).toEqual(made);
      });

      it('updates name, role, disabled and password hash, never the email; an unknown id is null', async () => {
        const created = await store.advisors.create(newAdvisor());
        const updated = await store.advisors.update(created.id, { disabled: true, role: 'admin', name: 'Anna B.', passwordHash: 'scrypt$new' });
        const expected = { ...created, disabled: true, role: 'admin', name: 'Anna B.', passwordHash: 'scrypt$new' };
        expect(updated).toEqual(expected);
        expect(await store.advisors.get(created.id)).toEqual(expected);
        expect(await store.advisors.update(created.id, { disabled: false })).toEqual({ ...expected, disabled: false });
        const revoked = await store.advisors.update(created.id, { tokensValidFrom: '2026-11-30T12:00:00.000Z' });
        expect(revoked).toEqual({ ...expected, disabled: false, tokensValidFrom: '2026-11-30T12:00:00.000Z' });
        expect(await store.advisors.get(created.id)).toEqual(revoked);
        expect(await store.advisors.update(uid(), { disabled: true })).toBeNull();
      });

      it('hands out copies: changing a returned advisor changes nothing stored', async () => {
        const created = await store.advisors.create(newAdvisor({ name: 'Anna' }));
        created.name = 'changed';
        (await store.advisors.get(created.id))!.disabled = true;
        expect(await store.advisors.get(created.id)).toMatchObject({ name: 'Anna', disabled: false });
      });
    });

    describe('escalations', () => {
      it('creates a queued escalation with defaults; an unknown conversation is refused', async () => {
        const conversation = await createConversation(store);
        const input = newEscalation(conversation.id, { reason: 'urgent', priority: 'urgent', language: 'uk' });
        const created = await store.escalations.create(input);
        expect(created).toEqual({
          id: expect.any(String),
          conversationId: conversation.id,
          reason: 'urgent',
          priority: 'urgent',
          status: 'queued',
          language: 'uk',
          intents: ['recognition.need'],
          entities: [{ type: 'profession', value: 'nurse' }],
          notes: [],
          createdAt: created.createdAt,
          updatedAt: created.createdAt,
        });
        expectIsoTimestamp(created.createdAt);
        expect(await store.escalations.get(created.id)).toEqual(created);
        expect(await store.escalations.findOpenByConversation(conversation.id)).toEqual(created);
        expect(await store.escalations.get(uid())).toBeNull();
        await expect(store.escalations.create(newEscalation(`conv-${uid()}`))).rejects.toThrow();
      });

      it('creates a callback escalation with the contact the person left', async () => {
        const conversation = await createConversation(store);
        const created = await store.escalations.create(newEscalation(conversation.id, callback('+49 391 555 0102')));
        expect(created).toMatchObject({ status: 'callback', callbackContact: { kind: 'phone', value: '+49 391 555 0102' } });
        expect(await store.escalations.findOpenByConversation(conversation.id)).toEqual(created);
      });

      it('refuses a second open escalation on a conversation in every open status, and allows one once it closed', async () => {
        const conversation = await createConversation(store);
        const first = await store.escalations.create(newEscalation(conversation.id));
        const refused = async () => {
          const attempt = store.escalations.create(newEscalation(conversation.id, { priority: 'urgent' }));
          await expect(attempt).rejects.toBeInstanceOf(OpenEscalationExistsError);
          await expect(attempt).rejects.toMatchObject({ existing: { id: first.id } });
        };
        await refused();
        await store.escalations.claim(first.id, 'advisor-1');
        await refused();
        await store.escalations.transition(first.id, ['assigned'], { status: 'callback', callbackContact: { kind: 'email', value: 'person@example.org' } });
        await refused();
        await store.escalations.transition(first.id, ['callback'], { status: 'resolved' });

        const next = await store.escalations.create(newEscalation(conversation.id));
        expect(next).toMatchObject({ status: 'queued', conversationId: conversation.id });
        expect(next.id).not.toBe(first.id);
      });

      it('lets exactly one of concurrent creates on one conversation succeed', async () => {
        const conversation = await createConversation(store);
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => store.escalations.create(newEscalation(conversation.id))));
        const created = results.filter((r) => r.status === 'fulfilled');
        expect(created).toHaveLength(1);
        const winner = (created[0] as PromiseFulfilledResult<{ id: string }>).value;
        for (const r of results) {
          if (r.status === 'rejected') {
            expect(r.reason).toBeInstanceOf(OpenEscalationExistsError);
            expect(r.reason.existing.id).toBe(winner.id);
          }
        }
        expect(idsOf(await store.escalations.listByConversation(conversation.id))).toEqual([winner.id]);
      });

      it('lists urgent first, then oldest first, and filters by status', async () => {
        const made: Record<string, string> = {};
        for (const [label, priority] of [['normal-1', 'normal'], ['urgent-1', 'urgent'], ['normal-2', 'normal'], ['urgent-2', 'urgent']] as const) {
          made[label] = (await store.escalations.create(newEscalation((await createConversation(store)).id, { priority }))).id;
          await sleep(2);
        }
        const mine = Object.values(made);
        expect(onlyIds(await store.escalations.list(), mine)).toEqual([made['urgent-1'], made['urgent-2'], made['normal-1'], made['normal-2']]);

        await store.escalations.claim(made['urgent-1'], 'advisor-1');
        const queued = await store.escalations.list({ status: 'queued' });
        expect(queued.every((e) => e.status === 'queued')).toBe(true);
        expect(onlyIds(queued, mine)).toEqual([made['urgent-2'], made['normal-1'], made['normal-2']]);
        expect(onlyIds(await store.escalations.list({ status: 'assigned' }), mine)).toEqual([made['urgent-1']]);
        expect(onlyIds(await store.escalations.list({ status: 'resolved' }), mine)).toEqual([]);
      });

      it("lists a conversation's escalations of any status, oldest first", async () => {
        const conversation = await createConversation(store);
        const first = await store.escalations.create(newEscalation(conversation.id));
        await store.escalations.transition(first.id, ['queued'], { status: 'returned' });
        await sleep(2);
        const second = await store.escalations.create(newEscalation(conversation.id, { priority: 'urgent' }));
        await store.escalations.create(newEscalation((await createConversation(store)).id));

        const listed = await store.escalations.listByConversation(conversation.id);
        expect(listed.map((e) => [e.id, e.status])).toEqual([
          [first.id, 'returned'],
          [second.id, 'queued'],
        ]);
        expect(await store.escalations.listByConversation(`conv-${uid()}`)).toEqual([]);
      });

      it('lists escalations created in [from, to], both ends inclusive, oldest first, any status', async () => {
        const made = [];
        for (let i = 0; i < 3; i++) {
          made.push(await store.escalations.create(newEscalation((await createConversation(store)).id, { priority: i === 2 ? 'urgent' : 'normal' })));
          await sleep(TICK_MS);
        }
        const [a, b, c] = made;
        await store.escalations.claim(b.id, 'advisor-1');
        const mine = idsOf(made);
        const between = async (from: string, to: string) => onlyIds(await store.escalations.listCreatedBetween(from, to), mine);
        expect(await between(a.createdAt, b.createdAt)).toEqual([a.id, b.id]);
        expect(await between(plusMs(a.createdAt, 1), c.createdAt)).toEqual([b.id, c.id]);
        expect(await between(plusMs(c.createdAt, 1), plusMs(c.createdAt, 60_000))).toEqual([]);
      });

      it('claims atomically: of 50 concurrent claims exactly one wins', async () => {
        const { id } = await store.escalations.create(newEscalation((await createConversation(store)).id));
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.escalations.claim(id, `advisor-${i}`)));
        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const winner = winners[0].ok ? winners[0].escalation : undefined;
        expect(winner).toMatchObject({ id, status: 'assigned', advisorId: expect.stringMatching(/^advisor-\d+$/) });
        expectIsoTimestamp(winner?.claimedAt);
        const losers = results.filter((r) => !r.ok);
        expect(losers).toHaveLength(49);
        for (const r of losers) expect(r).toMatchObject({ ok: false, reason: 'status', escalation: { id, status: 'assigned', advisorId: winner?.advisorId } });
        expect(await store.escalations.get(id)).toMatchObject({ status: 'assigned', advisorId: winner?.advisorId, claimedAt: winner?.claimedAt });
      });

      it('claims only a queued escalation; an unknown id is not_found', async () => {
        const { id } = await store.escalations.create(newEscalation((await createConversation(store)).id, callback()));
        expect(await store.escalations.claim(id, 'advisor-1')).toMatchObject({ ok: false, reason: 'status', escalation: { id, status: 'callback' } });
        expect(await store.escalations.claim(uid(), 'advisor-1')).toEqual({ ok: false, reason: 'not_found' });
      });

      it('transitions by compare-and-set: only from the given statuses, one winner among concurrent ones', async () => {
        const created = await store.escalations.create(newEscalation((await createConversation(store)).id));
        const refused = await store.escalations.transition(created.id, ['assigned', 'callback'], { status: 'resolved' });
        expect(refused).toMatchObject({ ok: false, reason: 'status', escalation: { id: created.id, status: 'queued' } });
        expect((await store.escalations.get(created.id))?.status).toBe('queued');

        await sleep(TICK_MS);
        const claimedAt = new Date().toISOString();
        const moved = await store.escalations.transition(created.id, ['queued'], { status: 'assigned', advisorId: 'advisor-7', claimedAt });
        expect(moved).toMatchObject({ ok: true, escalation: { status: 'assigned', advisorId: 'advisor-7', claimedAt } });
        expect(moved.ok && moved.escalation.updatedAt > created.updatedAt).toBe(true);
        expect(await store.escalations.get(created.id)).toMatchObject({ status: 'assigned', advisorId: 'advisor-7', claimedAt });

        const closes = await Promise.all(Array.from({ length: 10 }, (_, i) => store.escalations.transition(created.id, ['assigned'], { status: i % 2 ? 'resolved' : 'returned' })));
        expect(closes.filter((r) => r.ok)).toHaveLength(1);
        expect(closes.filter((r) => !r.ok && r.reason === 'status')).toHaveLength(9);

        expect(await store.escalations.transition(uid(), ['queued'], { status: 'returned' })).toEqual({ ok: false, reason: 'not_found' });
      });

      it('raises priority and reason of an open escalation, keeping its status, and lists it among the urgent ones', async () => {
        const created = await store.escalations.create(newEscalation((await createConversation(store)).id));
        const context = { intents: ['handoff.request', 'escalation.urgent'], entities: [{ type: 'crisis', value: 'suicide' }] };
        const raised = await store.escalations.transition(created.id, OPEN_ESCALATION_STATUSES, { priority: 'urgent', reason: 'urgent', ...context });
        expect(raised).toMatchObject({ ok: true, escalation: { id: created.id, status: created.status, priority: 'urgent', reason: 'urgent', ...context } });
        expect(await store.escalations.get(created.id)).toMatchObject({ status: created.status, priority: 'urgent', reason: 'urgent', ...context });
      });

      it.each(['resolved', 'returned'] as const)('closing as %s deletes the callback contact and stamps closedAt', async (status) => {
        const conversation = await createConversation(store);
        const created = await store.escalations.create(newEscalation(conversation.id, callback()));
        const closed = await store.escalations.transition(created.id, ['callback'], { status, advisorId: 'advisor-1' });
        expect(closed.ok).toBe(true);
        const escalation = closed.ok ? closed.escalation : undefined;
        expect(escalation).toMatchObject({ status, advisorId: 'advisor-1' });
        expect(escalation?.callbackContact).toBeUndefined();
        expectIsoTimestamp(escalation?.closedAt);

        const stored = await store.escalations.get(created.id);
        expect(stored).toMatchObject({ status, closedAt: escalation?.closedAt });
        expect(stored?.callbackContact).toBeUndefined();
        expect(await store.escalations.findOpenByConversation(conversation.id)).toBeNull();
      });

      it('deletes the callback contact on request without closing the escalation', async () => {
        const created = await store.escalations.create(newEscalation((await createConversation(store)).id, callback()));
        const updated = await store.escalations.transition(created.id, ['callback'], { callbackContact: undefined });
        expect(updated).toMatchObject({ ok: true, escalation: { status: 'callback' } });
        expect(updated.ok && updated.escalation.callbackContact).toBeUndefined();
        const stored = await store.escalations.get(created.id);
        expect(stored?.callbackContact).toBeUndefined();
        expect(stored?.closedAt).toBeUndefined();
      });

      it('adds notes in order in any status; an unknown id is null', async () => {
        const created = await store.escalations.create(newEscalation((await createConversation(store)).id));
        const first = { at: new Date().toISOString(), advisorId: 'advisor-1', text: 'called the Jobcenter' };
        const second = { at: plusMs(first.at, 1), advisorId: 'advisor-2', text: 'documents sent' };
        expect((await store.escalations.addNote(created.id, first))?.notes).toEqual([first]);
        await store.escalations.transition(created.id, ['queued'], { status: 'returned' });
        expect(await store.escalations.addNote(created.id, second)).toMatchObject({ status: 'returned', notes: [first, second] });
        expect((await store.escalations.get(created.id))?.notes).toEqual([first, second]);
        expect(await store.escalations.addNote(uid(), first)).toBeNull();
      });

      it('hands out copies: changing a returned or passed-in escalation changes nothing stored', async () => {
        const input = newEscalation((await createConversation(store)).id);
        const created = await store.escalations.create(input);
        input.intents.push('changed');
        input.entities[0].value = 'changed';
        created.intents.push('changed');
        (await store.escalations.get(created.id))!.notes.push({ at: created.createdAt, advisorId: 'x', text: 'changed' });
        expect(await store.escalations.get(created.id)).toMatchObject({ intents: ['recognition.need'], entities: [{ type: 'profession', value: 'nurse' }], notes: [] });
      });
    });

    describe('audit log', () => {
      it('appends entries and lists them newest first, with a limit and an actor filter', async () => {
        const [even, odd] = [`advisor-${uid()}`, `advisor-${uid()}`];
        const start = Date.now();
        const appended = [];
        for (let i = 0; i < 5; i++) {
          const entry = { at: new Date(start + i).toISOString(), actorId: i % 2 ? odd : even, action: 'escalation.claim' as const, target: `escalation-${i}`, details: { i, urgent: i === 0 } };
          const stored = await store.audit.append(entry);
          expect(stored).toEqual({ id: expect.any(String), ...entry });
          appended.push(stored);
        }
        const nth = (entries: Array<{ details?: Record<string, unknown> }>) => entries.map((e) => e.details?.i);
        expect(nth(await store.audit.list({ limit: 3 }))).toEqual([4, 3, 2]);
        expect(nth(await store.audit.list({ limit: 10, actorId: odd }))).toEqual([3, 1]);
        expect(nth(await store.audit.list({ limit: 2, actorId: even }))).toEqual([4, 2]);
        expect(await store.audit.list({ limit: 10, actorId: `advisor-${uid()}` })).toEqual([]);
        expect((await store.audit.list({ limit: 1, actorId: even }))[0]).toEqual(appended[4]);
      });
    });

    describe('expire (retention)', () => {
      /**
       * expire() sweeps the whole store: clear what earlier tests left so the counts below are ours alone.
       * The pause makes their last writes strictly older than the cutoff.
       */
      async function sweepEarlierData(): Promise<void> {
        await sleep(5);
        await store.expire(new Date().toISOString());
      }

      it('removes nothing last changed at or after the cutoff', async () => {
        await sweepEarlierData();
        const nothing = { conversations: 0, messages: 0, escalations: 0 };
        // Each cutoff is the timestamp of the newest record, and every other record is at least as new.
        const conversation = await createConversation(store);
        expect(await store.expire(conversation.updatedAt)).toEqual(nothing);

        const escalation = await store.escalations.create(newEscalation(conversation.id));
        await store.conversations.update(conversation.id, { language: 'en' });
        expect(await store.expire(escalation.updatedAt)).toEqual(nothing);

        const stored = await store.conversations.appendMessage(conversation.id, message('Hallo'));
        await store.escalations.addNote(escalation.id, { at: new Date().toISOString(), advisorId: 'advisor-1', text: 'called back' });
        expect(await store.expire(stored.createdAt)).toEqual(nothing);

        expect(await store.conversations.get(conversation.id)).toMatchObject({ language: 'en', lastSeq: 1 });
        expect(await store.conversations.listMessages(conversation.id, 0, 10)).toEqual([stored]);
        expect(await store.escalations.get(escalation.id)).toMatchObject({ notes: [expect.objectContaining({ text: 'called back' })] });
      });

      it('with a cutoff after everything, removes conversations with messages, dialog state and escalations; keeps advisors and audit', async () => {
        await sweepEarlierData();
        const conversation = await createConversation(store);
        await store.conversations.appendMessage(conversation.id, message('Hallo'));
        await store.conversations.appendMessage(conversation.id, message('Guten Tag', { role: 'bot' }));
        await store.dialogState.write({ [dialogKey(conversation.id)]: { step: 1 } });
        const escalation = await store.escalations.create(newEscalation(conversation.id, callback()));
        const advisor = await store.advisors.create(newAdvisor());
        const entry = await store.audit.append({ at: new Date().toISOString(), actorId: advisor.id, action: 'advisor.create', target: advisor.id });

        expect(await store.expire(plusMs(new Date().toISOString(), 1000))).toEqual({ conversations: 1, messages: 2, escalations: 1 });

        expect(await store.conversations.get(conversation.id)).toBeNull();
        expect(await store.conversations.listMessages(conversation.id, 0, 10)).toEqual([]);
        expect(await store.dialogState.read([dialogKey(conversation.id)])).toEqual({});
        expect(await store.escalations.get(escalation.id)).toBeNull();
        expect(await store.escalations.listByConversation(conversation.id)).toEqual([]);
        expect(await store.advisors.get(advisor.id)).toEqual(advisor);
        expect(await store.audit.list({ limit: 10, actorId: advisor.id })).toEqual([entry]);
      });

      it('removes a conversation last updated before the cutoff with everything of it, and keeps a newer one', async () => {
        await sweepEarlierData();
        const old = await createConversation(store);
        const oldEscalation = await store.escalations.create(newEscalation(old.id));
        await store.dialogState.write({ [dialogKey(old.id)]: { step: 1 } });
        await store.conversations.appendMessage(old.id, message('alte Frage'));
        const { updatedAt: oldUpdatedAt } = (await store.conversations.get(old.id))!;
        await sleep(TICK_MS);
        const fresh = await createConversation(store);
        const freshEscalation = await store.escalations.create(newEscalation(fresh.id));
        await store.dialogState.write({ [dialogKey(fresh.id)]: { step: 2 } });
        await store.conversations.appendMessage(fresh.id, message('neue Frage'));

        expect(await store.expire(midpoint(oldUpdatedAt, fresh.createdAt))).toEqual({ conversations: 1, messages: 1, escalations: 1 });

        expect(await store.conversations.get(old.id)).toBeNull();
        expect(await store.conversations.listMessages(old.id, 0, 10)).toEqual([]);
        expect(await store.dialogState.read([dialogKey(old.id)])).toEqual({});
        expect(await store.escalations.get(oldEscalation.id)).toBeNull();

        expect(await store.conversations.get(fresh.id)).toMatchObject({ lastSeq: 1 });
        expect((await store.conversations.listMessages(fresh.id, 0, 10)).map((m) => m.text)).toEqual(['neue Frage']);
        expect(await store.dialogState.read([dialogKey(fresh.id)])).toEqual({ [dialogKey(fresh.id)]: { step: 2 } });
        expect(await store.escalations.get(freshEscalation.id)).not.toBeNull();
      });

      it('removes messages created before the cutoff from a conversation still in use; the cursor goes on', async () => {
        await sweepEarlierData();
        const conversation = await createConversation(store);
        const old = await store.conversations.appendMessage(conversation.id, message('alt'));
        await sleep(TICK_MS);
        const recent = await store.conversations.appendMessage(conversation.id, message('neu'));

        expect(await store.expire(midpoint(old.createdAt, recent.createdAt))).toEqual({ conversations: 0, messages: 1, escalations: 0 });

        expect(await store.conversations.listMessages(conversation.id, 0, 10)).toEqual([recent]);
        expect((await store.conversations.appendMessage(conversation.id, message('danach'))).seq).toBe(3);
        expect((await store.conversations.get(conversation.id))?.lastSeq).toBe(3);
      });

      it('removes an escalation last changed before the cutoff even when its conversation is newer', async () => {
        await sweepEarlierData();
        const conversation = await createConversation(store);
        const stale = await store.escalations.create(newEscalation(conversation.id, callback()));
        const otherConversation = await createConversation(store);
        const noted = await store.escalations.create(newEscalation(otherConversation.id));
        await sleep(TICK_MS);
        const { updatedAt: activeAgain } = (await store.conversations.update(conversation.id, { language: 'en' }))!;
        await store.conversations.update(otherConversation.id, { language: 'en' });
        // Created before the cutoff, changed after it: "last changed" counts, not "created".
        await store.escalations.addNote(noted.id, { at: new Date().toISOString(), advisorId: 'advisor-1', text: 'still working on it' });

        expect(await store.expire(midpoint(noted.updatedAt, activeAgain))).toEqual({ conversations: 0, messages: 0, escalations: 1 });

        expect(await store.escalations.get(stale.id)).toBeNull();
        expect(await store.escalations.findOpenByConversation(conversation.id)).toBeNull();
        expect(await store.conversations.get(conversation.id)).toMatchObject({ language: 'en' });
        expect(await store.escalations.get(noted.id)).toMatchObject({ notes: [expect.objectContaining({ text: 'still working on it' })] });
        await expect(store.escalations.create(newEscalation(conversation.id))).resolves.toMatchObject({ status: 'queued' });
      });
    });

    describe('operator injection', () => {
      // A value from a request body may be an object such as {"$gt": ""}. It must be taken as a plain
      // value that matches nothing, never as a query operator that matches stored records.
      async function seedRecords() {
        const conversation = await createConversation(store);
        await store.conversations.appendMessage(conversation.id, message('Ich brauche Hilfe'));
        const stateKey = dialogKey(conversation.id);
        await store.dialogState.write({ [stateKey]: { step: 1 } });
        const advisor = await store.advisors.create(newAdvisor());
        const escalation = await store.escalations.create(newEscalation(conversation.id));
        await store.audit.append({ at: new Date().toISOString(), actorId: advisor.id, action: 'login.success' });
        return { conversation, stateKey, advisor, escalation };
      }

      it('lookups by id match nothing', async () => {
        await seedRecords();
        await expectNothingFound(store.conversations.get(injected({ $gt: '' })), null);
        await expectNothingFound(store.conversations.get(injected({ $ne: null })), null);
        await expectNothingFound(store.conversations.get('{"$gt":""}'), null);
        await expectNothingFound(store.conversations.listMessages(injected({ $regex: '.*' }), 0, 10), []);
        await expectNothingFound(store.conversations.listMessages(injected({ $gt: '' }), 0, 10), []);
        await expectNothingFound(store.dialogState.read([injected({ $gt: '' }), injected({ $regex: '.*' })]), {});
        await expectNothingFound(store.advisors.get(injected({ $ne: null })), null);
        await expectNothingFound(store.escalations.get(injected({ $ne: null })), null);
        await expectNothingFound(store.escalations.findOpenByConversation(injected({ $gt: '' })), null);
        await expectNothingFound(store.escalations.findOpenByConversation('{"$gt":""}'), null);
        await expectNothingFound(store.escalations.listByConversation(injected({ $gt: '' })), []);
      });

      it('lookups by email, status, actor and period match nothing', async () => {
        await seedRecords();
        await expectNothingFound(store.advisors.getByEmail(injected({ $ne: null })), null);
        await expectNothingFound(store.advisors.getByEmail(injected({ $regex: '.*' })), null);
        await expectNothingFound(store.escalations.list({ status: injected({ $ne: 'x' }) }), []);
        await expectNothingFound(store.escalations.list({ status: injected({ $in: ['queued', 'assigned', 'callback'] }) }), []);
        await expectNothingFound(store.audit.list({ limit: 5, actorId: injected({ $ne: '' }) }), []);
        await expectNothingFound(store.escalations.listCreatedBetween(injected({ $gt: '' }), injected({ $ne: null })), []);
        await expectNothingFound(collect(store.conversations.scan(injected({ $gt: '' }), injected({ $ne: null }))), []);
      });

      it('writes addressed by an operator change nothing', async () => {
        const { conversation, stateKey, advisor, escalation } = await seedRecords();
        const note = { at: new Date().toISOString(), advisorId: 'mallory', text: 'injected' };
        await expectNothingFound(store.conversations.update(injected({ $gt: '' }), { language: 'en' }), null);
        await expectNothingFound(store.conversations.erase(injected({ $gt: '' })), false);
        await expect(store.conversations.appendMessage(injected({ $gt: '' }), message('injected'))).rejects.toThrow();
        await store.dialogState.delete([injected({ $gt: '' }), injected({ $regex: '.*' })]).catch(() => undefined);
        await expectNothingFound(store.advisors.update(injected({ $ne: null }), { disabled: true }), null);
        await expectNothingFound(store.escalations.claim(injected({ $ne: null }), 'mallory'), { ok: false, reason: 'not_found' });
        await expectNothingFound(store.escalations.transition(injected({ $ne: null }), ['queued'], { status: 'returned' }), { ok: false, reason: 'not_found' });
        await expectNothingFound(store.escalations.addNote(injected({ $ne: null }), note), null);
        await expect(store.escalations.create(newEscalation(injected({ $gt: '' })))).rejects.toThrow();

        expect(await store.conversations.get(conversation.id)).toMatchObject({ language: 'de', lastSeq: 1 });
        expect(await store.conversations.listMessages(conversation.id, 0, 10)).toHaveLength(1);
        expect(await store.dialogState.read([stateKey])).toEqual({ [stateKey]: { step: 1 } });
        expect(await store.advisors.get(advisor.id)).toMatchObject({ disabled: false });
        const untouched = await store.escalations.get(escalation.id);
        expect(untouched).toMatchObject({ status: 'queued', notes: [] });
        expect(untouched?.advisorId).toBeUndefined();
      });
    });
  });
}
