import mongoose from 'mongoose';
import { defineModels, type Models } from '../../../src/storage/mongodb/models';

// Mongoose validates and builds index definitions without a server: these run everywhere. The
// behaviour against a real MongoDB is the storage contract suite (tests/storage/store-contract.test.ts).
describe('MongoDB models', () => {
  let connection: mongoose.Connection;
  let models: Models;

  beforeAll(() => {
    connection = mongoose.createConnection();
    models = defineModels(connection, 30);
  });
  afterAll(() => connection.close());

  const now = new Date();

  it('accepts a well-formed escalation and refuses an unknown status, priority or reason', () => {
    const valid = { _id: 'e1', conversationId: 'c1', reason: 'requested', priority: 'urgent', priorityRank: 0, status: 'queued', open: true, language: 'de', createdAt: now, updatedAt: now, order: 1 };
    expect(new models.Escalation(valid).validateSync()).toBeUndefined();
    const wrong = new models.Escalation({ ...valid, status: 'done', priority: 'high', reason: 'bored' }).validateSync();
    expect(Object.keys(wrong?.errors ?? {}).sort()).toEqual(['priority', 'reason', 'status']);
  });

  it('refuses a message without text or with a role nobody has, and a language that is no code', () => {
    const error = new models.Message({ conversationId: 'c1', seq: 1, role: 'hacker', language: 'deutsch', createdAt: now }).validateSync();
    expect(Object.keys(error?.errors ?? {}).sort()).toEqual(['language', 'role', 'text']);
  });

  it('refuses fields that are not in the schema instead of storing them', () => {
    expect(() => new models.Conversation({ _id: 'c1', tokenHash: 'h', languageChosen: false, lastSeq: 0, createdAt: now, updatedAt: now, ip: '203.0.113.9' })).toThrow(/not in schema/);
  });

  it('stores an advisor email lower-cased and trimmed, so the unique index sees one account per address', () => {
    const advisor = new models.Advisor({ _id: 'a1', email: '  Anna@ZEMIGRA.example ', name: 'Anna', role: 'advisor', passwordHash: 'x', disabled: false, createdAt: now, order: 1 });
    expect(advisor.email).toBe('anna@zemigra.example');
  });

  it('has the indexes the queries and guarantees need, with TTLs from the retention setting', () => {
    const indexes = (model: mongoose.Model<any>) => model.schema.indexes().map(([fields, options]) => ({ fields, options }));
    const ttl = 30 * 24 * 60 * 60;
    expect(indexes(models.Escalation)).toEqual(
      expect.arrayContaining([
        { fields: { status: 1, priorityRank: 1, createdAt: 1, order: 1 }, options: expect.anything() },
        { fields: { conversationId: 1 }, options: expect.objectContaining({ unique: true, partialFilterExpression: { open: true } }) },
        { fields: { updatedAt: 1 }, options: expect.objectContaining({ expireAfterSeconds: ttl }) },
      ]),
    );
    expect(indexes(models.Advisor)).toEqual(expect.arrayContaining([{ fields: { email: 1 }, options: expect.objectContaining({ unique: true }) }]));
    expect(indexes(models.Message)).toEqual(
      expect.arrayContaining([
        { fields: { conversationId: 1, seq: 1 }, options: expect.objectContaining({ unique: true }) },
        { fields: { createdAt: 1 }, options: expect.objectContaining({ expireAfterSeconds: ttl }) },
      ]),
    );
    expect(indexes(models.Conversation)).toEqual(expect.arrayContaining([{ fields: { updatedAt: 1 }, options: expect.objectContaining({ expireAfterSeconds: ttl }) }]));
    expect(indexes(models.DialogState)).toEqual(expect.arrayContaining([{ fields: { updatedAt: 1 }, options: expect.objectContaining({ expireAfterSeconds: ttl }) }]));
  });
});
