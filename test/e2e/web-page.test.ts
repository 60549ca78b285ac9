import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without Chromium the test cannot run; on CI (.ci/run installs it) its absence is a failure.
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the web chat page in Chromium', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.cleanup();
  });

  it('lets a person click through onboarding on a phone-sized screen and see the menu', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'ar' });
    await page.goto(`${app.baseUrl}/`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.getByText('أهلًا وسهلًا').waitFor();
    await page.getByRole('button', { name: 'متابعة بالعربية' }).click();
    await page.getByRole('button', { name: 'أوافق', exact: true }).click();
    await page.getByRole('button', { name: 'عضوة في جمعية تعاونية' }).click();
    await page.getByRole('button', { name: 'نعم، أرسلوها لي' }).click();
    await page.getByText('القائمة الرئيسية').waitFor();
    await expect(
      page
        .getByRole('button', { name: /بياناتي/ })
        .first()
        .isEnabled(),
    ).resolves.toBe(true);

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/web-chat-menu.png' });

    // A typed answer works too, and a reload keeps the conversation on screen.
    await page.getByLabel('الرسالة').fill('مساعدة');
    await page.getByRole('button', { name: 'إرسال' }).click();
    await page.getByText('يمكنكِ في أي وقت كتابة').waitFor();
    await page.reload();
    await page.getByText('القائمة الرئيسية').first().waitFor();
    const contact = await app.taawun.database.prisma.contact.findFirst({ where: { persona: 'MEMBER' } });
    expect(contact?.subscribed).toBe(true);
  });
});
