/**
 * whatsapp-web.js brings puppeteer, which would download its own Chrome on install: this machine has
 * no internet for that, and Debian's /usr/bin/chromium (CHROMIUM_PATH) is what the bot launches.
 * @type {import("puppeteer").Configuration}
 */
module.exports = { skipDownload: true };
