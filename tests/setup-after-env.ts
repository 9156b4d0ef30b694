import { cleanUpFile } from './helpers/after-file';

// Registered before any test file's hooks, so it runs after all of them: closes what a timed-out hook left.
afterAll(cleanUpFile, 120_000);
