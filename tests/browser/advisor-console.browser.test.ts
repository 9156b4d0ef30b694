import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { collectPageErrors, describeWithBrowser, launchBrowser, type TestBrowser } from '../helpers/browser';
import { startService, type RunningService } from '../helpers/service';

const ADMIN_EMAIL = 'leitung@zemigra.example';
const ADMIN_PASSWORD = 'console-test-password-2026';
const XSS = '<img src=x onerror=window.__xss=1>';
const ARABIC = 'أريد الاعتراف بشهادتي في التمريض';

/** A person's conversation with an escalation, made through the service as the bot side will. */
async function seedEscalation(running: RunningService, language: 'ar' | 'uk', texts: string[], priority: 'urgent' | 'normal' = 'normal') {
  const id = randomUUID();
  const { store } = running.service;
  await store.conversations.create({ id, tokenHash: 'x', language, languageChosen: false });
  for (const [i, text] of texts.entries()) await store.conversations.appendMessage(id, { role: i % 2 ? 'bot' : 'user', text, language });
  const escalation = await running.service.escalations.open({
    conversationId: id,
    reason: priority === 'urgent' ? 'urgent' : 'requested',
    priority,
    language,
    intents: ['recognition.need'],
    entities: [{ type: 'profession', value: 'nurse' }],
  });
  return { conversationId: id, escalation };
}

async function logIn(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/advisor`);
  const form = page.locator('#login-view');
  await form.getByLabel('E-Mail').fill(ADMIN_EMAIL);
  await form.getByLabel('Passwort').fill(ADMIN_PASSWORD);
  await form.getByRole('button', { name: 'Anmelden' }).click();
  await page.locator('#main-view').waitFor({ state: 'visible' });
}

// Page-side code is passed as strings: the tests are type-checked without the DOM library.

/** The live stream is open once the console shows the advisors online from the `ready` event. */
async function waitForLiveStream(page: Page) {
  await page.locator('#online', { hasText: /online/ }).waitFor({ state: 'attached' });
}

describeWithBrowser('advisor console in a browser', () => {
  let running: RunningService;
  let browser: TestBrowser;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    [running, browser] = await Promise.all([startService({ ADMIN_EMAIL, ADMIN_PASSWORD }), launchBrowser()]);
    browser.context.setDefaultTimeout(5000);
    pageErrors = collectPageErrors(browser.context);
  });

  beforeEach(() => {
    pageErrors.length = 0;
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  test('log in, claim, read the transcript safely, reply, note and resolve', async () => {
    const { conversationId, escalation } = await seedEscalation(running, 'ar', [`${ARABIC} ${XSS}`, 'Hier ist die Antwort des Bots.']);
    const page = browser.page;

    const response = await page.goto(`${running.baseUrl}/advisor`);
    expect(new URL(page.url()).pathname).toBe('/advisor/');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    await logIn(page, running.baseUrl);
    const item = page.locator('#list button.case', { hasText: 'Arabisch' });
    await item.waitFor();
    await item.click();

    const transcript = page.locator('#transcript');
    await transcript.locator('li.role-user').waitFor();
    const userLine = transcript.locator('li.role-user .text');
    expect(await userLine.textContent()).toBe(`${ARABIC} ${XSS}`);
    expect(await userLine.getAttribute('dir')).toBe('auto');
    expect(await transcript.locator('img').count()).toBe(0);
    expect(await page.locator('#detail-context').textContent()).toContain('Beruf: nurse');

    // A reply box only for the advisor who owns the conversation.
    expect(await page.locator('#reply-form').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Übernehmen' }).click();
    await page.locator('#reply-form').waitFor({ state: 'visible' });
    expect(await page.locator('#tab-mine').getAttribute('aria-selected')).toBe('true');

    await page.getByLabel('Antwort an die Person').fill('Guten Tag, ich helfe Ihnen gern.');
    await page.getByRole('button', { name: 'Senden' }).click();
    await transcript.locator('li.role-advisor', { hasText: 'Guten Tag, ich helfe Ihnen gern.' }).waitFor();
    const stored = await running.service.store.conversations.listMessages(conversationId, 0, 50);
    expect(stored.map((m) => [m.role, m.text])).toContainEqual(['advisor', 'Guten Tag, ich helfe Ihnen gern.']);

    await page.getByLabel('Neue Notiz (nur für das Team)').fill(`Rückfrage zur Urkunde ${XSS}`);
    await page.getByRole('button', { name: 'Notiz speichern' }).click();
    await page.locator('#notes li', { hasText: 'Rückfrage zur Urkunde' }).waitFor();
    expect(await page.locator('#notes img').count()).toBe(0);

    await page.getByRole('button', { name: 'Erledigt' }).click();
    await page.locator('#detail-title', { hasText: 'Erledigt' }).waitFor();
    expect((await running.service.store.escalations.get(escalation.id))?.status).toBe('resolved');
    expect(await page.locator('#reply-form').isVisible()).toBe(false);

    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(pageErrors).toEqual([]);
  }, 20_000);

  test('a new escalation appears in the open queue live, without a reload; a bad token goes back to login', async () => {
    const page = await browser.context.newPage();
    try {
      await logIn(page, running.baseUrl);
      await waitForLiveStream(page);
      await page.evaluate('window.__sameDocument = true');

      await seedEscalation(running, 'uk', ['Мені терміново потрібна допомога'], 'urgent');
      const item = page.locator('#list button.case', { hasText: 'Ukrainisch' });
      await item.waitFor();
      expect(await item.locator('.badge.urgent').textContent()).toBe('Dringend');
      expect(await page.evaluate('window.__sameDocument')).toBe(true);

      // Admin tabs: own account in Team, own login in Protokoll, Auswertung as a table or a friendly note.
      await page.getByRole('tab', { name: 'Team' }).click();
      await page.locator('#team-list tr', { hasText: ADMIN_EMAIL }).waitFor();
      await page.getByRole('tab', { name: 'Protokoll' }).click();
      await page.locator('#audit-list td', { hasText: 'Anmeldung' }).first().waitFor();
      await page.getByRole('tab', { name: 'Auswertung' }).click();
      await page.locator('#analytics-result tbody tr th', { hasText: 'Gesamt' }).or(page.getByText('Die Auswertung ist noch nicht verfügbar.')).waitFor();

      // Usable at 1024 px and narrower: nothing wider than the window.
      for (const width of [1024, 640]) {
        await page.setViewportSize({ width, height: 700 });
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      }

      await page.evaluate(`sessionStorage.setItem('zemigra.advisor.token', 'not-a-valid-token')`);
      await page.reload();
      await page.locator('#login-view').waitFor({ state: 'visible' });
      expect(await page.locator('#main-view').isVisible()).toBe(false);
    } finally {
      await page.close();
    }
    expect(pageErrors.filter((e) => !/401/.test(e))).toEqual([]);
  }, 20_000);
});
