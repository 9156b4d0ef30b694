import type { Storage, StoreItems } from 'botbuilder';
import type { DialogStateRepository } from './store';

/**
 * Botkit keeps dialog state through botbuilder's `Storage` interface; this adapts our repository to
 * it. eTags are not used: one process owns a conversation's turn at a time.
 */
export class DialogStateStorage implements Storage {
  constructor(private readonly repository: DialogStateRepository) {}

  read(keys: string[]): Promise<StoreItems> {
    return this.repository.read(keys) as Promise<StoreItems>;
  }

  write(changes: StoreItems): Promise<void> {
    return this.repository.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.repository.delete(keys);
  }
}
