import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/services/index.js';
import { startTestApp } from '../support/app.js';
import { PHOTOS } from '../support/photos.js';
import { testServiceDeps } from '../support/service-deps.js';

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

    // A notification with a product photo waits; she attaches a photo of her own and both show.
    const prisma = app.taawun.database.prisma;
    const product = await app.taawun.media.put(PHOTOS.png);
    if (!product.ok || !contact) throw new Error('no product photo or no contact');
    await createServices(prisma, testServiceDeps()).notify.toContact(
      contact.id,
      () => ({ text: 'منتج جديد في الدليل', photo: { kind: 'stored', mediaId: product.media.id } }),
      { kind: 'notice' },
    );
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'إرفاق صورة' }).click();
    await (await chooser).setFiles({ name: 'زيت.jpg', mimeType: 'image/jpeg', buffer: PHOTOS.jpeg });
    const mine = page.locator('.msg.me img').last();
    await expect.poll(() => mine.getAttribute('src')).toMatch(/^media\/\w+\?s=\w+$/);
    const botPhoto = page.locator('.msg.bot', { hasText: 'منتج جديد في الدليل' }).locator('img');
    await expect
      .poll(() => botPhoto.getAttribute('src'))
      .toMatch(new RegExp(`^media/${product.media.id}\\?s=\\w+$`));
    const loaded = (locator: typeof mine) =>
      locator.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
    await botPhoto.scrollIntoViewIfNeeded();
    await expect.poll(() => loaded(botPhoto)).toBe(true);
    await mine.scrollIntoViewIfNeeded();
    await expect.poll(() => loaded(mine)).toBe(true);
    expect(await prisma.media.count()).toBe(2);
    await page.screenshot({ path: 'test-results/web-chat-photos.png' });

    // After a reload her photo is still in her bubble, from the server.
    await page.reload();
    await expect
      .poll(() => page.locator('.msg.me img').last().getAttribute('src'))
      .toMatch(/^media\/\w+\?s=\w+$/);
  });
});
