import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { closeAfterFile } from '../helpers/after-file';
import { collectPageErrors, describeWithBrowser, launchBrowser, type TestBrowser } from '../helpers/browser';
import { ROOT, postJson, startService, type RunningService } from '../helpers/service';

const ADMIN_EMAIL = 'webchat@zemigra.example';
const ADMIN_PASSWORD = 'web-chat-test-password-2026';
const SCREENSHOTS = path.join(ROOT, 'reports', 'screenshots');
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const XSS = '<img src=x onerror="window.__xss=1">';
const ARABIC = /[\u0600-\u06FF]/;
const PHONE = { width: 360, height: 740 };

// Page-side code is passed as strings: the tests are type-checked without the DOM library.

/**
 * A partner's page on another origin: a static server on "localhost" while the service listens on
 * "127.0.0.1", with a strict CSP that allows exactly what the README tells partners to allow.
 */
function startPartnerSite(): Promise<{ origin: string; setService(url: string): void; close(): Promise<void> }> {
  let service = '';
  const server = http.createServer((req, res) => {
    const ws = service.replace(/^http/, 'ws');
    const csp = `default-src 'self'; script-src 'self' ${service}; style-src 'self' ${service}; connect-src 'self' ${service} ${ws}; img-src 'self' data:`;
    if (req.url === '/config.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      // The configuration object of the README; a colour that fails the contrast check is dropped.
      return res.end(`window.ZemigraChat = { server: ${JSON.stringify(service)}, language: 'uk', colors: { primary: '#6a1b9a', header: '#ffff00' } };`);
    }
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
      return res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partner</title><link rel="icon" href="data:,"><script src="/config.js"></script><script src="${service}/widget.js" defer></script></head>
<body><main><h1>Partner organisation</h1><p>Welcome to our page.</p></main></body></html>`);
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://localhost:${port}`,
        setService: (url) => (service = url),
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    }),
  );
}

describeWithBrowser('web chat page and widget in a browser', () => {
  let running: RunningService;
  let browser: TestBrowser;
  let partner: Awaited<ReturnType<typeof startPartnerSite>>;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    partner = await closeAfterFile(startPartnerSite());
    [running, browser] = await Promise.all([
      startService({ CORS_ORIGINS: partner.origin, ADMIN_EMAIL, ADMIN_PASSWORD, OFFICE_HOURS: 'always' }),
      launchBrowser(),
    ]);
    partner.setService(running.baseUrl);
    browser.context.setDefaultTimeout(8000);
    // Not counted: the browser asking for a favicon, and axe's own probing of the partner page's CSP.
    pageErrors = collectPageErrors(browser.context, /favicon\.ico|__axe\.min\.js/);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  beforeEach(() => {
    pageErrors.length = 0;
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await partner?.close();
  });

  /** A fresh page with nothing stored from earlier tests, at phone size. */
  async function openChat(query = ''): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    // Cleared from a page without the chat, which would otherwise write its state back.
    await page.goto(`${running.baseUrl}/healthz`);
    await page.evaluate('localStorage.clear()');
    await page.goto(`${running.baseUrl}/${query}`);
    await page.locator('#chat:not(.zc-loading)').waitFor();
    return page;
  }

  async function accept(page: Page): Promise<void> {
    await page.locator('#privacy-accept').click();
    await page.locator('#log li.bot').first().waitFor();
  }

  /** Sends a text and waits for the bot's next message. */
  async function ask(page: Page, text: string) {
    const before = await page.locator('#log li.bot').count();
    await page.locator('#input').fill(text);
    await page.locator('#input').press('Enter');
    const answer = page.locator('#log li.bot').nth(before);
    await answer.waitFor();
    return answer;
  }

  /**
   * axe-core's own file, injected as a same-origin script: `addScriptTag({ path })` would inline it,
   * which the pages' CSP (rightly) refuses, and the check should run under the real policy.
   */
  async function seriousA11yViolations(page: Page): Promise<string[]> {
    const url = new URL('/__axe.min.js', page.url()).href;
    await page.route(url, (route) => route.fulfill({ path: AXE, contentType: 'text/javascript' }));
    await page.addScriptTag({ url });
    return page.evaluate<string[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
  }

  function sessionOf(page: Page): Promise<{ sessionId: string; token: string | null }> {
    return page.evaluate(`JSON.parse(localStorage.getItem('zemigra.chat'))`);
  }

  test('German: privacy notice first, answers with safe source links, quick replies and feedback', async () => {
    const page = await openChat();
    expect(await page.evaluate('document.documentElement.lang + "/" + document.documentElement.dir')).toBe('de/ltr');
    expect(await page.locator('#input').isDisabled()).toBe(true);
    expect(await page.locator('#send').isDisabled()).toBe(true);
    expect(await page.locator('#language option').allTextContents()).toEqual(expect.arrayContaining(['Deutsch', 'English', 'العربية', 'Українська', 'Русский', 'فارسی']));
    // Nothing is stored before the person accepted the notice.
    expect(await running.service.store.conversations.get((await sessionOf(page)).sessionId)).toBeNull();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'web-chat-de-360-privacy.png') });

    await accept(page);
    expect(await page.locator('#input').isDisabled()).toBe(false);
    expect(await page.locator('#privacy').isVisible()).toBe(false);

    const answer = await ask(page, 'Was kostet eine Anerkennung?');
    const links = answer.locator('.zc-sources a');
    expect(await links.count()).toBeGreaterThan(0);
    for (const link of await links.all()) {
      expect(await link.getAttribute('href')).toMatch(/^https?:\/\//);
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    }
    // The new answer is also put in the live region for screen readers.
    await page.locator('#announcer p', { hasText: 'Chatbot:' }).last().waitFor({ state: 'attached' });

    // Feedback: the answer's own "helpful" button, then a thank-you in place of the question.
    const feedback = answer.locator('.zc-feedback');
    expect(await feedback.textContent()).toContain('War die Antwort hilfreich?');
    const bots = await page.locator('#log li.bot').count();
    await feedback.getByRole('button', { name: 'Hilfreich', exact: true }).click();
    await page.locator('#log li.bot').nth(bots).waitFor();
    expect(await feedback.textContent()).toBe('Danke für Ihre Rückmeldung.');
    expect(await page.locator('#log li.user').last().textContent()).toContain('Hilfreich');

    // Quick replies send their payload and show their title; older ones are gone after a choice.
    const quick = page.locator('#log li.bot').last().locator('.zc-quick button').first();
    const title = (await quick.textContent()) ?? '';
    const count = await page.locator('#log li.bot').count();
    await quick.click();
    await page.locator('#log li.bot').nth(count).waitFor();
    expect(await page.locator('#log li.user').last().textContent()).toContain(title);
    expect(await page.locator('#log li.bot').nth(count - 1).locator('.zc-quick').count()).toBe(0);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'web-chat-de-360.png') });
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 30_000);

  test('Arabic: a message in Arabic is answered in Arabic and the page turns right-to-left', async () => {
    const page = await openChat();
    await accept(page);
    const answer = await ask(page, 'كم تكلفة الاعتراف بالشهادة؟');
    expect(await answer.textContent()).toMatch(ARABIC);
    expect(await answer.getAttribute('lang')).toBe('ar');
    await page.locator('html[dir="rtl"]').waitFor({ state: 'attached' });
    expect(await page.evaluate('document.documentElement.lang')).toBe('ar');
    expect(await page.locator('#send').textContent()).toBe('إرسال');
    expect(await page.locator('#language').inputValue()).toBe('ar');
    // Logical properties: the person's own messages sit at the inline end, i.e. on the left in RTL.
    const user = await page.locator('#log li.user').last().boundingBox();
    expect(user!.x).toBeLessThan(PHONE.width / 2 - user!.width / 2);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'web-chat-ar-360.png') });
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Nothing wider than the smallest phones.
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expect(await page.evaluate<boolean>(`(() => { const l = document.getElementById('log'); return l.scrollWidth <= l.clientWidth; })()`)).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 30_000);

  test('Arabic chosen in the selector: labels, greeting language and direction', async () => {
    const page = await openChat('?lang=ar');
    expect(await page.evaluate('document.documentElement.dir')).toBe('rtl');
    expect(await page.locator('#privacy-accept').textContent()).toBe('فهمت');
    await accept(page);
    expect(await page.locator('#log li.bot').first().textContent()).toMatch(ARABIC);
    await page.locator('#language').selectOption('en');
    await page.locator('html[lang="en"][dir="ltr"]').waitFor({ state: 'attached' });
    expect(await page.locator('#send').textContent()).toBe('Send');
    // Chosen explicitly: the next answer is in English even though the person writes German.
    const answer = await ask(page, 'Wie lange dauert die Anerkennung meines Abschlusses?');
    expect(await answer.getAttribute('lang')).toBe('en');
    await page.close();
  }, 30_000);

  test('a reload resumes the same session with the earlier messages', async () => {
    const page = await openChat();
    await accept(page);
    await ask(page, `Ich möchte Deutsch lernen. ${XSS}`);
    const before = await sessionOf(page);
    const lines = await page.locator('#log li').count();

    await page.reload();
    await page.locator('#log li.user', { hasText: 'Ich möchte Deutsch lernen.' }).waitFor();
    expect(await page.locator('#log li').count()).toBe(lines);
    expect(await page.locator('#privacy').isVisible()).toBe(false);
    expect((await sessionOf(page)).sessionId).toBe(before.sessionId);
    // What the person wrote is text, never markup.
    expect(await page.locator('#log img').count()).toBe(0);
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');

    // The resumed socket speaks for the same session (its token), and the new turn lands there.
    await ask(page, 'Was kostet ein Deutschkurs?');
    const stored = await running.service.store.conversations.listMessages(before.sessionId, 0, 100);
    expect(stored.filter((m) => m.role === 'user').map((m) => m.text)).toContain('Was kostet ein Deutschkurs?');
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 30_000);

  test('keyboard only: Tab to the notice, Enter to send, quick reply by keyboard, Escape cancels deleting', async () => {
    const page = await openChat();
    const focused = () => page.evaluate<string>('document.activeElement && document.activeElement.id');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('language');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('privacy-accept');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('input');
    await page.locator('#log li.bot').first().waitFor();

    await page.keyboard.type('Wo finde ich einen Deutschkurs?');
    await page.keyboard.press('Enter');
    await page.locator('#log li.bot').nth(1).waitFor();
    expect(await focused()).toBe('input');

    // Back from the input into the last answer's buttons; a quick reply chosen by keyboard returns to the input.
    await page.keyboard.press('Shift+Tab');
    const label = await page.evaluate<string>('document.activeElement.textContent');
    expect(await page.evaluate<string>('document.activeElement.tagName')).toBe('BUTTON');
    const bots = await page.locator('#log li.bot').count();
    await page.keyboard.press('Enter');
    await page.locator('#log li.bot').nth(bots).waitFor();
    expect(await page.locator('#log li.user').last().textContent()).toContain(label);
    expect(await focused()).toBe('input');

    // Input → Send → "Delete chat"; Enter asks first, Escape cancels and focus goes back.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('send');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('delete');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('confirm-yes');
    await page.keyboard.press('Escape');
    expect(await page.locator('#confirm').isVisible()).toBe(false);
    expect(await focused()).toBe('delete');

    // Focus is visible: the focused control draws an outline.
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 30_000);

  test('talk to an advisor: waiting state, the advisor’s messages live and as text, catch-up after a dropped connection', async () => {
    const page = await openChat();
    await accept(page);
    const { sessionId } = await sessionOf(page);
    await page.getByRole('button', { name: 'Mit der Beratung sprechen' }).click();
    await page.locator('#handover', { hasText: 'Warten auf die Beratung' }).waitFor();
    expect(await page.locator('#advisor').isVisible()).toBe(false);

    const escalation = await running.service.escalations.openFor(sessionId);
    expect(escalation?.reason).toBe('requested');
    const login = await postJson(`${running.baseUrl}/api/v1/auth/login`, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const auth = { authorization: `Bearer ${login.body.token}` };
    expect((await postJson(`${running.baseUrl}/api/v1/escalations/${escalation!.id}/claim`, {}, auth)).status).toBe(200);
    await page.locator('#log li.bot', { hasText: 'hat Ihr Gespräch übernommen' }).waitFor();
    await postJson(`${running.baseUrl}/api/v1/escalations/${escalation!.id}/messages`, { text: `Guten Tag, hier ist die Beratung. ${XSS}` }, auth);

    const advisorLine = page.locator('#log li.advisor', { hasText: 'Guten Tag, hier ist die Beratung.' });
    await advisorLine.waitFor();
    expect(await advisorLine.locator('.from').textContent()).toBe('Beratung');
    expect(await advisorLine.locator('.zc-text').textContent()).toBe(`Guten Tag, hier ist die Beratung. ${XSS}`);
    expect(await page.locator('#log img').count()).toBe(0);
    await page.locator('#handover', { hasText: 'Sie schreiben mit der Beratung' }).waitFor();

    // The connection drops (phone in a tunnel); the advisor writes meanwhile; after the reconnect the
    // message is there exactly once.
    const sockets = (running.service.adapter as unknown as { sockets: Map<string, { terminate(): void }> }).sockets;
    sockets.get(sessionId)!.terminate();
    await postJson(`${running.baseUrl}/api/v1/escalations/${escalation!.id}/messages`, { text: 'Sind Sie noch da?' }, auth);
    const missed = page.locator('#log li.advisor', { hasText: 'Sind Sie noch da?' });
    await missed.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    expect(await missed.count()).toBe(1);

    await postJson(`${running.baseUrl}/api/v1/escalations/${escalation!.id}/return-to-bot`, {}, auth);
    await page.locator('#log li.bot', { hasText: 'an mich, den Chatbot, zurückgegeben' }).waitFor();
    await page.locator('#handover[hidden]').waitFor({ state: 'attached' });
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 40_000);

  test('callback: the contact is given with consent, and after a reload the history shows a note, not the number', async () => {
    const page = await openChat();
    await accept(page);
    await page.getByRole('button', { name: 'Mit der Beratung sprechen' }).click();
    await page.locator('#handover', { hasText: 'Warten auf die Beratung' }).waitFor();
    await page.getByRole('button', { name: 'Kontakt für Rückruf hinterlassen' }).click();
    await page.locator('#log li.bot', { hasText: 'Sind Sie einverstanden?' }).waitFor();
    await page.getByRole('button', { name: 'Ja, einverstanden' }).click();
    await page.locator('#log li.bot', { hasText: 'Bitte schreiben Sie Ihre Telefonnummer' }).waitFor();
    await ask(page, '+49 391 555 0101');
    await page.locator('#log li.bot', { hasText: 'Die Beratung meldet sich bei Ihnen' }).waitFor();

    await page.reload();
    const note = page.locator('#log li.user em', { hasText: 'Kontakt für den Rückruf – nicht im Chatverlauf gespeichert' });
    await note.waitFor();
    expect(await page.locator('#log').textContent()).not.toContain('391 555');
    expect(await page.locator('#log').textContent()).not.toContain('[callback contact]');
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 40_000);

  test('widget on a partner site of another origin: opens, talks over the websocket, closes with Escape, deletes the chat', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${partner.origin}/`);
    const launcher = page.getByRole('button', { name: 'Відкрити чат' });
    await launcher.waitFor();
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    // The partner's colour passed the contrast check; the yellow header did not and is ignored.
    const colour = (selector: string) => page.evaluate<string>(`getComputedStyle(document.querySelector('[data-zemigra-chat]').shadowRoot.querySelector('${selector}')).backgroundColor`);
    expect(await colour('#launcher')).toBe('rgb(106, 27, 154)');
    expect(await colour('.zc-head')).toBe('rgb(11, 61, 110)');

    await launcher.click();
    const dialog = page.getByRole('dialog', { name: 'Консультаційний чат ZEMIGRA' });
    await dialog.waitFor();
    expect(await page.evaluate<string>('document.querySelector("[data-zemigra-chat]").shadowRoot.activeElement.id')).toBe('privacy-accept');
    await page.locator('#privacy-accept').click();
    await page.locator('#log li.bot').first().waitFor();
    const answer = await ask(page, 'Скільки коштує визнання диплома?');
    expect(await answer.getAttribute('lang')).toBe('uk');
    expect(await answer.locator('.zc-sources a').count()).toBeGreaterThan(0);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-partner-uk-1024.png') });
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate<string>('document.querySelector("[data-zemigra-chat]").shadowRoot.activeElement.id')).toBe('launcher');

    // On a 320 px phone the open chat fills the screen, and its own button closes it.
    await page.setViewportSize({ width: 320, height: 640 });
    await launcher.click();
    expect((await page.locator('#chat').boundingBox())?.width).toBe(320);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-partner-uk-320.png') });
    await page.getByRole('button', { name: 'Закрити чат' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Delete: a cross-origin DELETE with the session token erases the conversation on the server.
    const { sessionId } = await sessionOf(page);
    expect(await running.service.store.conversations.get(sessionId)).not.toBeNull();
    await launcher.click();
    await page.locator('#delete').click();
    await page.locator('#confirm-yes').click();
    await page.locator('#status', { hasText: 'Чат видалено.' }).waitFor();
    expect(await page.locator('#log li').count()).toBe(0);
    expect(await running.service.store.conversations.get(sessionId)).toBeNull();
    expect((await sessionOf(page)).sessionId).not.toBe(sessionId);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 30_000);

  test('on a phone the open widget is modal: Tab and Shift+Tab stay inside it', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${partner.origin}/`);
    // The test before may have left the panel open on this origin (the widget remembers that).
    const launcher = page.locator('#launcher');
    await launcher.waitFor({ state: 'attached' });
    if ((await launcher.getAttribute('aria-expanded')) !== 'true') await launcher.click();
    const dialog = page.getByRole('dialog', { name: 'Консультаційний чат ZEMIGRA' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    if (await page.locator('#privacy-accept').isVisible()) await page.locator('#privacy-accept').click();
    await page.locator('#input').focus();
    // Where the focus is, seen through the widget's shadow root: an id inside the panel, or null.
    const focusedInPanel = () =>
      page.evaluate<string | null>(`(() => { const root = document.querySelector('[data-zemigra-chat]').shadowRoot; const a = root.activeElement; return a && root.getElementById('chat').contains(a) ? (a.id || a.tagName) : null; })()`);
    const visited = new Set<string>();
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      const focused = await focusedInPanel();
      expect(focused).not.toBeNull();
      visited.add(focused!);
    }
    // It went round, not just stayed on one control.
    expect(visited.size).toBeGreaterThan(3);
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusedInPanel()).not.toBeNull();
    }
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 30_000);

  test('the widget stays away from an origin the service does not allow', async () => {
    const page = await browser.context.newPage();
    // Same partner server, but as 127.0.0.1: not in CORS_ORIGINS.
    await page.goto(partner.origin.replace('localhost', '127.0.0.1') + '/');
    await page.waitForLoadState('networkidle');
    expect(await page.locator('[data-zemigra-chat]').count()).toBe(0);
    const refused = await page.evaluate<string>(`new Promise((resolve) => {
      const ws = new WebSocket(${JSON.stringify(running.baseUrl.replace('http', 'ws') + '/ws')});
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    })`);
    expect(refused).toBe('refused');
    await page.close();
  }, 20_000);
});
