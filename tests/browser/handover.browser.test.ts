import type { Page } from 'playwright-core';
import { describeWithBrowser, launchBrowser, type TestBrowser } from '../helpers/browser';
import { startService, type RunningService } from '../helpers/service';

const ADMIN_EMAIL = 'beratung@zemigra.example';
const ADMIN_PASSWORD = 'handover-test-password-2026';

// Page-side code is passed as strings: the tests are type-checked without the DOM library.

/** The whole handover in two browser tabs: a person in the web chat, an advisor in /advisor. */
describeWithBrowser('handover from the web chat to the advisor console', () => {
  let running: RunningService;
  let browser: TestBrowser;

  beforeAll(async () => {
    [running, browser] = await Promise.all([startService({ ADMIN_EMAIL, ADMIN_PASSWORD, OFFICE_HOURS: 'always' }), launchBrowser()]);
    browser.context.setDefaultTimeout(8000);
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  async function openConsole(): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${running.baseUrl}/advisor/`);
    const form = page.locator('#login-view');
    await form.getByLabel('E-Mail').fill(ADMIN_EMAIL);
    await form.getByLabel('Passwort').fill(ADMIN_PASSWORD);
    await form.getByRole('button', { name: 'Anmelden' }).click();
    await page.locator('#main-view').waitFor({ state: 'visible' });
    // The live stream is open (and the advisor counts as online) once the console shows it.
    await page.locator('#online', { hasText: /online/ }).waitFor({ state: 'attached' });
    return page;
  }

  async function openChat(): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${running.baseUrl}/`);
    // The chat connects (and the greeting comes) only once the privacy notice is accepted.
    await page.locator('#privacy-accept').click();
    await page.locator('#log li.bot').first().waitFor();
    return page;
  }

  test('a person asks for an advisor, the advisor claims and answers, the person reads it live, then the bot takes over again', async () => {
    const advisor = await openConsole();
    const person = await openChat();

    await person.locator('#input').fill('Ich möchte bitte mit einer Beraterin sprechen.');
    await person.locator('#send').click();
    await person.locator('#log li.bot', { hasText: 'Die Beratung sieht dieses Gespräch' }).waitFor();
    await person.locator('#log li.bot', { hasText: 'antwortet Ihnen hier im Chat' }).waitFor();

    // The new request shows up in the console without a reload.
    const item = advisor.locator('#list button.case', { hasText: 'Deutsch' });
    await item.waitFor();
    await item.click();
    await advisor.locator('#transcript li.role-user', { hasText: 'mit einer Beraterin sprechen' }).waitFor();
    await advisor.getByRole('button', { name: 'Übernehmen' }).click();
    await advisor.getByLabel('Antwort an die Person').fill('Guten Tag, hier ist Frau Berg von ZEMIGRA. Wie kann ich helfen?');
    await advisor.getByRole('button', { name: 'Senden' }).click();

    const live = person.locator('#log li.advisor', { hasText: 'Frau Berg von ZEMIGRA' });
    await live.waitFor();
    expect(await live.locator('.from').textContent()).toBe('Beratung');

    // The person answers; the bot stays silent and the advisor sees the message live.
    const botLinesBefore = await person.locator('#log li.bot').count();
    await person.locator('#input').fill('Ich bin Krankenschwester aus Syrien.');
    await person.locator('#send').click();
    await advisor.locator('#transcript li.role-user', { hasText: 'Krankenschwester aus Syrien' }).waitFor();
    expect(await person.locator('#log li.bot').count()).toBe(botLinesBefore);

    await advisor.getByRole('button', { name: 'An den Bot zurückgeben' }).click();
    await person.locator('#log li.bot', { hasText: 'an mich, den Chatbot, zurückgegeben' }).waitFor();
    await person.locator('#input').fill('Was kostet die Anerkennung?');
    await person.locator('#send').click();
    await person.locator('#log li.bot').nth(botLinesBefore + 1).waitFor();

    await person.close();
    await advisor.close();
  }, 40_000);
});
