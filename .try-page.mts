import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
for (const [name, viewport] of [['desktop', { width: 1200, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
  const page = await browser.newPage({ viewport });
  const messages: string[] = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text().slice(0, 300)}`));
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => void d.accept());
  await page.goto('http://127.0.0.1:21002/');
  await page.waitForTimeout(1500);
  await page.fill('#email', `try-${Date.now()}@example.com`);
  await page.fill('#password', 'Correct-Horse-9');
  await page.click('#sign-up');
  await page.waitForTimeout(2000);
  await page.setInputFiles('#file', ['test/fixtures/images/chelsea.png', 'test/fixtures/images/horse.png', 'test/fixtures/images/truncated.jpg']);
  await page.setInputFiles('#file', [{ name: 'anim.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a\x01\x00\x01\x00') }]);
  await page.waitForTimeout(500);
  await page.click('#upload-button');
  await page.waitForTimeout(12000);
  await page.locator('#recent li').first().locator('button.link').click().catch((e) => messages.push(String(e)));
  await page.waitForTimeout(2000);
  console.log(name, 'scrollWidth', await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]));
  console.log(await page.locator('#queue').innerText());
  await page.screenshot({ path: `test-results/try-${name}.png`, fullPage: true });
  console.log(messages.join('\n'));
  await page.close();
}
await browser.close();
